// HAProxy (Debian's package) in front of a test origin, on 127.0.0.1 and a free port.
// test/peers/haproxy/<config>.cfg holds the `defaults` lines that differ per test;
// its {{NAME}} placeholders are filled from `vars` ({{ORIGIN}} = host:port).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'
import { fillTemplate } from './nginx.js'
import { startPeerInDir } from './peer-process.js'

const CONFIGS = join(import.meta.dirname, '..', 'peers', 'haproxy')

export interface TestHaproxy {
  readonly port: number
  /** http://127.0.0.1:<port> */
  readonly url: string
  /** What HAProxy logged (one line per request, with its termination flags). */
  log(): string
  stop(): Promise<void>
}

export async function startHaproxy(config: string, vars: Record<string, string | number>): Promise<TestHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'rti-haproxy-'))
  const port = await freePort()
  const defaults = fillTemplate(readFileSync(join(CONFIGS, `${config}.cfg`), 'utf8'), vars)
  const cfg = fillTemplate(readFileSync(join(CONFIGS, 'base.cfg'), 'utf8'), { PORT: port, ORIGIN: vars.ORIGIN ?? '', DEFAULTS: defaults })
  writeFileSync(join(dir, 'haproxy.cfg'), cfg)
  const peer = await startPeerInDir(dir, 'haproxy', 'haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], port)
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log: () => peer.output(),
    stop: peer.stop,
  }
}
