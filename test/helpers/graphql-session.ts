// What the GraphQL protocol tests read off a session: its decoded packets in order,
// what its protocol told diagnostics, and a poll for a condition.
import { packetsOf, type Packet, type ProtocolFacts } from '../../main/contract/index.js'
import type { Harness } from './session-harness.js'

export type SeenPacket = Packet & { direction: string; auto: boolean }

/** Every decoded packet with its frame's direction and auto mark, in order (messages on a WebSocket, events on SSE). */
export function packets(h: Harness): SeenPacket[] {
  return h.frames.flatMap((f) => (f.kind === 'message' || f.kind === 'event' ? packetsOf(f.decoded).map((p) => ({ ...p, direction: f.direction, auto: f.auto === true })) : []))
}

/** What the session's protocol told diagnostics (read from the session's detectors' facts). */
export function protocolFacts(h: Harness): ProtocolFacts | undefined {
  return (h.session as unknown as { diagnostics?: { facts: { protocol?: ProtocolFacts } } }).diagnostics?.facts.protocol
}

/** Polls `check` every 20 ms; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
