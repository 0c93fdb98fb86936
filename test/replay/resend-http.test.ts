// Re-sending the HTTP techniques: the recorded spec's requests are made again by the
// technique itself, until as much came back as in the recording — as many polling
// responses (at the recorded interval, scaled by the speed), as many SSE events.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSpecInput, Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'
import { resendAndWait } from './resend-helpers.js'

let dir: string
let playground: Playground

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rti-resend-http-'))
  playground = await startPlayground({})
})
afterAll(async () => {
  await playground.close()
  await rm(dir, { recursive: true, force: true })
})

/** Records a session until `enough` frames of it hold, then closes it; returns the file. */
async function record(spec: ConnectionSpecInput, enough: (frames: Frame[]) => boolean): Promise<string> {
  const manager = new SessionManager({ net: {}, recordingsDir: dir })
  const h = openSession(manager, spec)
  await h.waitFor('open')
  await new Promise<void>((resolve) => {
    const check = setInterval(() => enough(h.frames) && (clearInterval(check), resolve()), 5)
  })
  h.session.close()
  await h.session.ended
  const path = h.session.info().recording!.path
  await manager.dispose()
  return path
}

const responses = (frames: Frame[]) => frames.filter((f) => f.kind === 'response')

describe('re-sending HTTP techniques', () => {
  it('polling: as many requests as recorded, at the recorded interval; at 4× a quarter of it', async () => {
    const path = await record({ technique: 'polling', url: playground.baseUrl + '/poll?every=50', polling: { intervalMs: 120 } }, (f) => responses(f).length >= 4)
    for (const [speed, interval] of [[1, 120], [4, 30]] as const) {
      const run = await resendAndWait(dir, path, { speed })
      const requests = run.frames.filter((f) => f.kind === 'request').map((f) => f.time)
      expect(responses(run.frames), `speed ${speed}`).toHaveLength(4)
      expect(requests).toHaveLength(4)
      for (let i = 1; i < requests.length; i++) expect(Math.abs(requests[i]! - requests[i - 1]! - interval), `speed ${speed}, gap ${i}`).toBeLessThan(30 + 0.1 * interval)
    }
  })

  it('SSE: the stream opened again until as many events came, then closed', async () => {
    const path = await record({ technique: 'sse', url: playground.baseUrl + '/sse/ticker?interval=40', reconnect: { enabled: false } }, (f) => f.filter((x) => x.kind === 'event').length >= 3)
    const run = await resendAndWait(dir, path, { speed: 'max' })
    const events = run.frames.filter((f) => f.kind === 'event')
    expect(events.length).toBeGreaterThanOrEqual(3)
    expect(events.length).toBeLessThanOrEqual(4)
    expect(run.frames.at(-1)).toMatchObject({ kind: 'close', cause: 'local' })
  })
})
