// tinyproxy (Debian's package) on 127.0.0.1 for tests, in the foreground, with
// CONNECT allowed only to the ports given.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'
import { startPeerInDir } from './peer-process.js'
import type { TestProxy } from './squid.js'

export async function startTinyproxy(options: { connectPorts: number[]; timeoutSeconds?: number }): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'rti-tinyproxy-'))
  const port = await freePort()
  const conf = join(dir, 'tinyproxy.conf')
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      `Timeout ${options.timeoutSeconds ?? 600}`,
      'Allow 127.0.0.1',
      ...options.connectPorts.map((p) => `ConnectPort ${p}`),
      'LogLevel Info',
      'MaxClients 50',
      '',
    ].join('\n'),
  )
  const peer = await startPeerInDir(dir, 'tinyproxy', 'tinyproxy', ['-d', '-c', conf], port)
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // With -d tinyproxy logs to its standard output.
    log: () => peer.output(),
    stop: peer.stop,
  }
}
