// What the "cuts" detectors read from a session's facts: every close the user did not
// ask for, with how long the line had been silent and how old the connection was, and
// the response that named the hop in between. idle-timeout, max-lifetime,
// connection-reset and abnormal-close all judge the same list.
import type { TechniqueName } from '../../contract/index.js'
import type { AttemptFacts, SessionFacts } from '../attempt-facts.js'
import type { DetectorContext } from '../detector.js'
import { nameIntermediary, type Intermediary } from '../intermediary.js'
import { formatMs } from '../../contract/format.js'

/** Below this much silence a cut says nothing about an idle timer (the smallest one we meet is 1 s). */
export const MIN_IDLE_CUT_MS = 900
/** A lifetime is told from an idle timer only when the connection lived at least this long. */
const MIN_LIFETIME_MS = 1000

export type CutShape = 'idle' | 'lifetime' | 'other'

export interface Cut {
  attempt: AttemptFacts
  close: NonNullable<AttemptFacts['close']>
  /** Silence on the line when it was cut. */
  idleMs: number
  /** Time from the open (or the connecting, if it never opened) to the cut. */
  ageMs: number
  /** 'idle': cut after a silence; 'lifetime': cut while data flowed; 'other': too short to say. */
  shape: CutShape
  /** Frames in (data and heartbeats) before the cut. */
  traffic: number
  /** How it ended, in words ("FIN, chunked body without its last chunk"). */
  how: string
}

/** Persistent connections; the others are a series of requests. */
const HTTP_POLLS: TechniqueName[] = ['polling', 'long-polling']

/** Whether an attempt ended in a way nobody asked for: a FIN mid-stream, a reset, a timeout, WebSocket 1006. */
export function isCut(attempt: AttemptFacts, technique: TechniqueName): boolean {
  const close = attempt.close
  // A protocol's normal end (a completed subscription) is no cut, however the transport closed.
  if (!close || close.cause === 'local' || attempt.protocolEnded !== undefined) return false
  if (close.cause === 'fin' || close.cause === 'reset' || close.cause === 'timeout') return true
  // A WebSocket closed without a close frame (the technique names a cause for it; this is a guard).
  return technique === 'websocket' && close.code === 1006
}

export function cutsOf(facts: SessionFacts): Cut[] {
  const cuts: Cut[] = []
  for (const attempt of facts.attempts) {
    if (!isCut(attempt, facts.technique)) continue
    const close = attempt.close!
    const opened = attempt.open?.time ?? attempt.startedAt
    const ageMs = Math.max(0, close.time - opened)
    const idleMs = idleAtCut(attempt)
    const traffic = attempt.dataIn + attempt.heartbeats
    // Data kept flowing and the line was silent for only a small part of its life:
    // the connection's age, not its silence, is what ran out.
    const lifetime = traffic >= 2 && ageMs >= MIN_LIFETIME_MS && idleMs < ageMs / 2
    const shape: CutShape = lifetime ? 'lifetime' : idleMs >= MIN_IDLE_CUT_MS ? 'idle' : 'other'
    cuts.push({ attempt, close, idleMs, ageMs, shape, traffic, how: describeEnd(attempt, facts.technique) })
  }
  return cuts
}

/**
 * The silence before a cut, from the frames rather than the close frame's own figure:
 * from the last frame in (data or heartbeat), and from the request when nothing came
 * since — never from the response head or the close itself (a buffering hop hands the
 * head over only at the cut; a WebSocket close frame is bytes too). A held request is
 * silent from the moment it was sent, whatever came before it.
 */
function idleAtCut(attempt: AttemptFacts): number {
  const close = attempt.close!
  const lastRequest = attempt.exchanges.findLast((e) => e.request)?.request?.time
  const since = Math.max(attempt.lastInAt ?? -Infinity, lastRequest ?? -Infinity)
  return Math.max(0, close.time - (Number.isFinite(since) ? since : attempt.startedAt))
}

/** How an attempt ended, in the words of the wire. */
export function describeEnd(attempt: AttemptFacts, technique: TechniqueName): string {
  const close = attempt.close!
  if (close.cause === 'reset') return technique === 'websocket' ? 'TCP reset (RST), close 1006' : 'TCP reset (RST)'
  if (close.cause === 'timeout') return 'timed out'
  if (technique === 'websocket') return 'FIN, close 1006 without a close frame'
  if (HTTP_POLLS.includes(technique)) return 'FIN, the held request got no answer'
  if (/content-length/i.test(close.reason)) return 'FIN, body shorter than its Content-Length'
  return 'FIN, chunked body without its last chunk'
}

/** "attempt 2: cut after 3.0 s of silence — FIN, chunked body without its last chunk" */
export function idleLine(cut: Cut): string {
  return `attempt ${cut.attempt.number}: cut after ${formatMs(cut.idleMs)} of silence — ${cut.how}`
}

/** "attempt 2: cut 3.0 s after it opened, 0.2 s after the last data (14 frames in) — …" */
export function lifetimeLine(cut: Cut): string {
  return `attempt ${cut.attempt.number}: cut ${formatMs(cut.ageMs)} after it opened, ${formatMs(cut.idleMs)} after the last data (${cut.traffic} frames in) — ${cut.how}`
}

export interface Hop {
  intermediary: Intermediary
  /** The response that named it (a jump target). */
  seq: number
  /** "Server: nginx/1.22.1" */
  line: string
}

/** The hop the session's responses name, and the first response that named it. */
export function hopOf(ctx: DetectorContext): Hop | undefined {
  const named = ctx.intermediary
  if (!named) return undefined
  for (const attempt of ctx.facts.attempts) {
    for (const exchange of attempt.exchanges) {
      const response = exchange.response
      if (!response) continue
      const found = nameIntermediary(response.headers, response.body)
      if (found?.label === named.label) return { intermediary: named, seq: response.seq, line: found.source }
    }
  }
  return { intermediary: named, seq: 0, line: named.source }
}

/** Where the idle timer is set, for the hop named (or the usual suspects when none is). */
export function idleSettingFor(hop: Intermediary | undefined, technique: TechniqueName): string {
  const ws = technique === 'websocket'
  if (!hop) return `the idle timeout of whatever sits in the path (nginx \`proxy_read_timeout\`, HAProxy ${ws ? '`timeout tunnel`' : '`timeout server`'}, Squid \`read_timeout\`, a load balancer's idle timeout)`
  switch (hop.name) {
    case 'nginx':
    case 'OpenResty (nginx)':
      return 'nginx `proxy_read_timeout` (and `proxy_send_timeout`)'
    case 'HAProxy':
      return ws ? 'HAProxy `timeout tunnel`' : 'HAProxy `timeout server` (and `timeout client`)'
    case 'Squid':
      return 'Squid `read_timeout`'
    case 'tinyproxy':
      return 'tinyproxy `Timeout`'
    case 'Envoy':
      return 'Envoy `stream_idle_timeout`'
    case 'AWS Elastic Load Balancing':
      return "the load balancer's `idle_timeout.timeout_seconds` attribute"
    case 'Cloudflare':
      return "Cloudflare's timeout (fixed below the Enterprise plan: use the heartbeat)"
    default:
      return `the idle timeout of ${hop.label}`
  }
}

/** What keeps this technique's line busy, in words. */
export function heartbeatFor(technique: TechniqueName): string {
  if (technique === 'sse') return 'an SSE comment line (`: ping`)'
  if (technique === 'websocket') return 'a WebSocket ping (from either side)'
  if (technique === 'streaming') return 'a heartbeat record (or whitespace) in the stream'
  return 'an answer (hold each request for less)'
}
