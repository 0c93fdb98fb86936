// Squid (Debian's package) as a forward proxy on 127.0.0.1 for tests: no caching,
// CONNECT allowed only to the ports given (as Debian's default allows only 443),
// logs and state in a temp dir owned by the `proxy` user Squid drops to.
import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'
import { startPeerProcess } from './peer-process.js'

export interface TestProxy {
  readonly url: string
  readonly port: number
  /** The proxy's access log so far. */
  log(): string
  stop(): Promise<void>
}

export interface SquidOptions {
  /** Ports CONNECT may reach; every other port gets Squid's 403 ERR_ACCESS_DENIED. */
  tunnelPorts: number[]
}

export const SQUID_HOSTNAME = 'rti-test-squid'

export async function startSquid(options: SquidOptions): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'rti-squid-'))
  const port = await freePort()
  const conf = join(dir, 'squid.conf')
  writeFileSync(
    conf,
    [
      `http_port 127.0.0.1:${port}`,
      `visible_hostname ${SQUID_HOSTNAME}`,
      `pid_filename ${dir}/squid.pid`,
      `cache_log ${dir}/cache.log`,
      `access_log stdio:${dir}/access.log`,
      `coredump_dir ${dir}`,
      'cache deny all',
      'pinger_enable off',
      'shutdown_lifetime 0 seconds',
      'acl localnet src 127.0.0.1/32',
      `acl tunnel_ports port ${options.tunnelPorts.join(' ')}`,
      'acl CONNECT method CONNECT',
      'http_access deny CONNECT !tunnel_ports',
      'http_access allow localnet',
      'http_access deny all',
      '',
    ].join('\n'),
  )
  // Started as root, Squid drops to `proxy`, which must be able to write its logs.
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'proxy']).toString())
    const gid = Number(execFileSync('id', ['-g', 'proxy']).toString())
    for (const path of [dir, conf]) chownSync(path, uid, gid)
  }
  const peer = await startPeerProcess('squid', 'squid', ['-N', '-f', conf], port).catch((error: Error) => {
    throw new Error(`${error.message}\n${readOr(join(dir, 'cache.log'))}`)
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log: () => readOr(join(dir, 'access.log')),
    stop: async () => {
      await peer.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
