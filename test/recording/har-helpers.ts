// Shared by the HAR tests: real sessions against the playground written as recordings
// (header line, then one frame a line, as docs/architecture.md ("The frame model") says), and reading them back.
import { writeFile } from 'node:fs/promises'
import type { ConnectionSpecInput, Frame } from '../../main/contract/index.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession, type Harness } from '../helpers/session-harness.js'

export async function writeRecording(path: string, spec: { technique: string; url: string }, frames: Frame[]): Promise<void> {
  const header = { format: 'rti-session', version: 1, spec, startedAt: frames[0]?.time ?? Date.now() }
  await writeFile(path, [header, ...frames].map((line) => JSON.stringify(line)).join('\n') + '\n')
}

/** Runs a real session until `drive` returns and the session has ended (or is disposed), and returns its frames. */
export async function recordSession(spec: ConnectionSpecInput, drive: (h: Harness) => Promise<void>): Promise<Frame[]> {
  const manager = new SessionManager()
  try {
    const h = openSession(manager, spec)
    await drive(h)
    await h.session.flush()
    return [...h.frames]
  } finally {
    manager.dispose()
  }
}

export async function readFrames(path: string): Promise<{ header: Awaited<ReturnType<typeof openRecording>>['header']; frames: Frame[]; problems: unknown[] }> {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  return { header: reader.header, frames, problems: reader.problems }
}

/** What a message is, apart from its seq: what round trips must keep. */
export function messagesOf(frames: Frame[]) {
  return frames
    .filter((f) => f.kind === 'message' || f.kind === 'event')
    .map((f) => (f.kind === 'event' ? { kind: f.kind, direction: f.direction, event: f.event, id: f.id, data: f.data, time: f.time } : { kind: f.kind, direction: f.direction, data: f.data, dataBase64: f.dataBase64, time: f.time }))
}
