// Records a real engine session into a `.rti.jsonl` file: the header of
// main/contract/recording.ts and one frame per line, as the recorder writes them.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { RECORDING_FORMAT, RECORDING_VERSION, type ConnectionSpecInput, type Frame } from '../../main/contract/index.js'
import type { SessionManager } from '../../main/session/session-manager.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

export interface Recorded {
  path: string
  frames: Frame[]
}

/** Opens a session, lets `drive` run it, waits for its end (closing it if needed) and writes the file. */
export async function recordSession(manager: SessionManager, spec: ConnectionSpecInput, path: string, drive: (h: Harness) => Promise<void>): Promise<Recorded> {
  const h = openSession(manager, spec)
  await drive(h)
  if (h.ofKind('close').length === 0) manager.close(h.session.info().id)
  // A session that never opened (a refused handshake) ends with an error frame, not a close.
  if (h.ofKind('error').length === 0) await h.waitFor('close')
  await writeRecording(path, spec, h.frames)
  return { path, frames: [...h.frames] }
}

export async function writeRecording(path: string, spec: ConnectionSpecInput, frames: readonly Frame[], header: Record<string, unknown> = {}): Promise<void> {
  const head = { format: RECORDING_FORMAT, version: RECORDING_VERSION, spec: { technique: spec.technique, url: spec.url }, startedAt: frames[0]?.time ?? Date.now(), ...header }
  await writeFile(path, [head, ...frames].map((line) => JSON.stringify(line)).join('\n') + '\n')
}

export const fileIn = (dir: string, name: string): string => join(dir, name)

/** Offsets of frames from the first `open` frame, the base every mock times from. */
export function offsets(frames: readonly Frame[], pick: (f: Frame) => boolean): number[] {
  const open = frames.find((f) => f.kind === 'open')!.time
  return frames.filter(pick).map((f) => f.time - open)
}

/** Recorded timing reproduced: within 30 ms plus 10 %. */
export function expectTiming(actual: readonly number[], recorded: readonly number[]): void {
  if (actual.length !== recorded.length) throw new Error(`expected ${recorded.length} timed frames, got ${actual.length}`)
  actual.forEach((value, i) => {
    const want = recorded[i]!
    if (Math.abs(value - want) > 30 + 0.1 * want) throw new Error(`frame ${i} came at ${value.toFixed(1)} ms, recorded at ${want.toFixed(1)} ms (tolerance ±${(30 + 0.1 * want).toFixed(1)} ms)\nactual: ${actual.map((a) => a.toFixed(0)).join(', ')}\nrecorded: ${recorded.map((r) => r.toFixed(0)).join(', ')}`)
  })
}
