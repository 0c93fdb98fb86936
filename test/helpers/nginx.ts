// nginx (Debian's package) as a reverse proxy in front of a test origin, on
// 127.0.0.1 and a free port, from a config under test/peers/nginx/. The config's
// {{NAME}} placeholders are filled from `vars` ({{ORIGIN}} = host:port of the origin).
import { chownSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { freePort } from './free-port.js'
import { readOr, startPeerInDir } from './peer-process.js'

const CONFIGS = join(import.meta.dirname, '..', 'peers', 'nginx')

export interface TestNginx {
  readonly port: number
  /** http://127.0.0.1:<port> */
  readonly url: string
  errorLog(): string
  stop(): Promise<void>
}

/** Fills {{NAME}} placeholders; a placeholder left unfilled is a mistake in the test. */
export function fillTemplate(template: string, vars: Record<string, string | number>): string {
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
  const left = filled.match(/\{\{[A-Z_]+\}\}/)
  if (left) throw new Error(`config placeholder ${left[0]} has no value`)
  return filled
}

/** Starts nginx with test/peers/nginx/<config>.conf as its server block. */
export async function startNginx(config: string, vars: Record<string, string | number>): Promise<TestNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'rti-nginx-'))
  const port = await freePort()
  const server = fillTemplate(readFileSync(join(CONFIGS, `${config}.conf`), 'utf8'), vars)
  const conf = fillTemplate(readFileSync(join(CONFIGS, 'base.conf'), 'utf8'), { DIR: dir, PORT: port, SERVER: server })
  writeFileSync(join(dir, 'nginx.conf'), conf)
  // Started as root, nginx's workers run as `nobody`: they write the temp files.
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'nobody']).toString())
    chownSync(dir, uid, 0)
  }
  const peer = await startPeerInDir(dir, 'nginx', 'nginx', ['-c', join(dir, 'nginx.conf'), '-p', `${dir}/`], port, 'error.log')
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    errorLog: () => readOr(join(dir, 'error.log')),
    stop: peer.stop,
  }
}
