// Drives one engine session in a test and collects every frame it delivers.
import type { ConnectionSpecInput, Frame, FrameKind, FrameOf } from '../../main/contract/index.js'
import type { Session } from '../../main/session/session.js'
import { SessionManager } from '../../main/session/session-manager.js'

export interface Harness {
  session: Session
  frames: Frame[]
  /** Resolves with the first frame matching, waiting up to `timeoutMs`. */
  waitFor<K extends FrameKind>(kind: K, match?: (frame: FrameOf<K>) => boolean, timeoutMs?: number): Promise<FrameOf<K>>
  ofKind<K extends FrameKind>(kind: K): FrameOf<K>[]
}

export function openSession(manager: SessionManager, spec: ConnectionSpecInput): Harness {
  const opened = manager.open(spec)
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`)
  const session = opened.value
  const frames: Frame[] = []
  const waiters = new Set<() => void>()
  session.subscribe((batch) => {
    frames.push(...batch.frames)
    for (const check of waiters) check()
  }, 100_000)

  const ofKind = <K extends FrameKind>(kind: K) => frames.filter((f): f is FrameOf<K> => f.kind === kind)
  const waitFor = <K extends FrameKind>(kind: K, match: (f: FrameOf<K>) => boolean = () => true, timeoutMs = 5000) =>
    new Promise<FrameOf<K>>((resolve, reject) => {
      const check = () => {
        const found = ofKind(kind).find(match)
        if (!found) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(found)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no ${kind} frame within ${timeoutMs} ms; saw: ${frames.map((f) => f.kind).join(', ')}`))
      }, timeoutMs)
      waiters.add(check)
      check()
    })
  return { session, frames, waitFor, ofKind }
}
