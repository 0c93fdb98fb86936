// Dante (Debian's dante-server) as a SOCKS5 proxy on 127.0.0.1 for tests, no
// authentication, with connections to the `blockedPorts` refused by rule.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'
import { startPeerInDir } from './peer-process.js'
import type { TestProxy } from './squid.js'

export async function startDante(options: { blockedPorts?: number[] } = {}): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'rti-dante-'))
  const port = await freePort()
  const conf = join(dir, 'danted.conf')
  writeFileSync(
    conf,
    [
      'logoutput: stderr',
      `internal: 127.0.0.1 port = ${port}`,
      'external: 127.0.0.1',
      'clientmethod: none',
      'socksmethod: none',
      'user.privileged: root',
      'user.unprivileged: nobody',
      'client pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n}',
      ...(options.blockedPorts ?? []).map((p) => `socks block {\n  from: 0.0.0.0/0 to: 0.0.0.0/0 port = ${p}\n  log: connect\n}`),
      'socks pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n  command: connect\n  log: connect disconnect\n}',
      '',
    ].join('\n'),
  )
  const peer = await startPeerInDir(dir, 'danted', 'danted', ['-f', conf, '-p', join(dir, 'danted.pid')], port)
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    log: () => peer.output(),
    stop: peer.stop,
  }
}
