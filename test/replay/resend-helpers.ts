// Shared by the re-send and diff tests: a real WebSocket session against the playground
// echo, recorded by the engine's own recorder, with messages sent at chosen times.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Frame, FrameOf } from '../../main/contract/index.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { loadResendPlan } from '../../main/replay/resend-plan.js'
import { startResend, type ResendOptions } from '../../main/replay/resend.js'
import { SessionManager } from '../../main/session/session-manager.js'
import { openSession } from '../helpers/session-harness.js'

/** Sends `messages` at `atMs` after open (then waits for every echo and closes); returns the recording's path. */
export async function recordEcho(dir: string, url: string, messages: readonly string[], atMs: readonly number[]): Promise<string> {
  const manager = new SessionManager({ net: {}, recordingsDir: dir })
  const h = openSession(manager, { technique: 'websocket', url })
  await h.waitFor('open')
  const opened = performance.now()
  for (let i = 0; i < messages.length; i++) {
    await sleep(Math.max(0, opened + atMs[i]! - performance.now()))
    h.session.send({ type: 'text', data: messages[i]! })
  }
  await h.waitFor('message', () => h.ofKind('message').filter((m) => m.direction === 'in').length >= messages.length)
  h.session.close(1000, 'done')
  await h.waitFor('close')
  const path = h.session.info().recording!.path
  await manager.dispose()
  return path
}

export async function readFrames(path: string): Promise<Frame[]> {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  return frames
}

/** Re-sends a recording through a manager that records into `dir`; resolves with the new recording's frames once it ended. */
export async function resendAndWait(dir: string, path: string, options: ResendOptions & { to?: string }): Promise<{ path: string; frames: Frame[] }> {
  const manager = new SessionManager({ net: {}, recordingsDir: dir })
  try {
    const plan = await loadResendPlan(path, { to: options.to })
    const started = startResend(manager, plan, options)
    if (!started.ok) throw new Error(started.error.message)
    await started.value.session.ended
    const out = started.value.session.info().recording!.path
    await manager.dispose()
    return { path: out, frames: await readFrames(out) }
  } finally {
    await manager.dispose()
  }
}

export const sent = (frames: readonly Frame[]) => frames.filter((f): f is FrameOf<'message'> => f.kind === 'message' && f.direction === 'out')
export const received = (frames: readonly Frame[]) => frames.filter((f): f is FrameOf<'message'> => f.kind === 'message' && f.direction === 'in')

/** ms after the first `open` frame. */
export function sinceOpen(frames: readonly Frame[], picked: readonly Frame[]): number[] {
  const open = frames.find((f) => f.kind === 'open')!.time
  return picked.map((f) => f.time - open)
}
