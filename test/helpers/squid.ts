// Squid (Debian's package) as a forward proxy on 127.0.0.1 for tests (or, asked, a
// reverse proxy in front of one origin): no caching unless asked,
// CONNECT allowed only to the ports given (as Debian's default allows only 443),
// logs and state in a temp dir owned by the `proxy` user Squid drops to.
import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'
import { readOr, startPeerInDir } from './peer-process.js'

export interface TestProxy {
  readonly url: string
  readonly port: number
  /** The same proxy spoken to over TLS (`https://`), when started with a certificate. */
  readonly tlsUrl?: string
  /** The proxy's access log so far. */
  log(): string
  stop(): Promise<void>
}

export interface SquidOptions {
  /** Ports CONNECT may reach; every other port gets Squid's 403 ERR_ACCESS_DENIED. */
  tunnelPorts: number[]
  /** Require these credentials (Basic, checked by Squid's basic_ncsa_auth helper). */
  auth?: { user: string; password: string }
  /** Also listen with TLS (an https:// proxy), with this certificate and key (PEM). */
  tls?: { cert: string; key: string }
  /** Let Squid cache (as it does out of the box: heuristically, from Last-Modified); default off. */
  cache?: boolean
  /** A reverse proxy (accelerator) in front of this origin (host:port) instead of a forward proxy. */
  accel?: string
}

export const SQUID_HOSTNAME = 'rti-test-squid'

export async function startSquid(options: SquidOptions): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'rti-squid-'))
  const port = await freePort()
  const tlsPort = options.tls ? await freePort() : undefined
  const conf = join(dir, 'squid.conf')
  const accel = options.accel ? new URL(`http://${options.accel}`) : undefined
  const owned = [dir, conf]
  if (options.tls) {
    writeFileSync(join(dir, 'proxy.crt'), options.tls.cert)
    writeFileSync(join(dir, 'proxy.key'), options.tls.key)
    owned.push(join(dir, 'proxy.crt'), join(dir, 'proxy.key'))
  }
  if (options.auth) {
    const hash = execFileSync('openssl', ['passwd', '-1', options.auth.password]).toString().trim()
    writeFileSync(join(dir, 'passwd'), `${options.auth.user}:${hash}\n`)
    owned.push(join(dir, 'passwd'))
  }
  writeFileSync(
    conf,
    [
      ...(accel ? [`http_port 127.0.0.1:${port} accel no-vhost defaultsite=${options.accel}`, `cache_peer ${accel.hostname} parent ${accel.port} 0 no-query originserver name=origin`] : [`http_port 127.0.0.1:${port}`]),
      ...(options.tls ? [`https_port 127.0.0.1:${tlsPort} tls-cert=${dir}/proxy.crt tls-key=${dir}/proxy.key`] : []),
      ...(options.auth ? [`auth_param basic program /usr/lib/squid/basic_ncsa_auth ${dir}/passwd`, 'auth_param basic realm rti-test', 'acl authed proxy_auth REQUIRED'] : []),
      `visible_hostname ${SQUID_HOSTNAME}`,
      `pid_filename ${dir}/squid.pid`,
      `cache_log ${dir}/cache.log`,
      `access_log stdio:${dir}/access.log`,
      `coredump_dir ${dir}`,
      ...(options.cache ? [] : ['cache deny all']),
      'pinger_enable off',
      'shutdown_lifetime 0 seconds',
      'acl localnet src 127.0.0.1/32',
      `acl tunnel_ports port ${options.tunnelPorts.join(' ')}`,
      'acl CONNECT method CONNECT',
      'http_access deny CONNECT !tunnel_ports',
      options.auth ? 'http_access allow localnet authed' : 'http_access allow localnet',
      'http_access deny all',
      '',
    ].join('\n'),
  )
  // Started as root, Squid drops to `proxy`, which must be able to write its logs.
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'proxy']).toString())
    const gid = Number(execFileSync('id', ['-g', 'proxy']).toString())
    for (const path of owned) chownSync(path, uid, gid)
  }
  const peer = await startPeerInDir(dir, 'squid', 'squid', ['-N', '-f', conf], port, 'cache.log')
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ...(tlsPort ? { tlsUrl: `https://127.0.0.1:${tlsPort}` } : {}),
    log: () => readOr(join(dir, 'access.log')),
    stop: peer.stop,
  }
}
