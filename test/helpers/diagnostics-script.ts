// Feeds a made-up session to the diagnostics runner, frame by frame on a fake clock,
// so detector tests read as what happened on the wire: connect, answer, data every
// 300 ms, silence, a FIN after 3 s… and then what the findings say.

/** The findings of the cuts, silent-drop, reconnect-storm and gateway-timeout detectors. */
export const CUT_FINDINGS = ['idle-timeout', 'max-lifetime', 'abnormal-close', 'connection-reset', 'silent-drop', 'reconnect-storm', 'gateway-timeout'] as const
import type { CloseCause, ConnectionSpecInput, FrameBody } from '../../main/contract/index.js'
import { ScriptedDiagnostics } from './scripted-diagnostics.js'

export interface CloseOptions {
  cause?: CloseCause
  code?: number
  reason?: string
  wasClean?: boolean
}

export class DiagnosticsScript extends ScriptedDiagnostics {
  private lastIn = this.now

  constructor(spec: Partial<ConnectionSpecInput> & { technique: ConnectionSpecInput['technique'] }) {
    super(spec, 1_700_000_000_000, 1)
  }

  /** The frame's seq. */
  override frame(body: FrameBody): number {
    const seq = super.frame(body)
    if (body.direction === 'in') this.lastIn = this.now
    return seq
  }

  /** Ticks once a second through `ms`, as a live session does. */
  live(ms: number): this {
    const end = this.now + ms
    while (this.now + 1000 <= end) {
      this.now += 1000
      this.diagnostics.tick(this.now)
    }
    this.now = end
    return this
  }

  /** A new attempt: connecting, request, response (with these headers), open. */
  connect(options: { headers?: Record<string, string>; status?: number; body?: string; durationMs?: number } = {}): this {
    this.attempt++
    this.frame({ kind: 'connecting', direction: 'system', url: 'http://127.0.0.1:1/x', attempt: this.attempt })
    this.frame({ kind: 'request', direction: 'out', method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} })
    this.wait(options.durationMs ?? 5)
    const status = options.status ?? (this.technique === 'websocket' ? 101 : 200)
    const headers = options.headers ?? (this.technique === 'sse' && status === 200 ? { 'content-type': 'text/event-stream' } : {})
    this.frame({ kind: 'response', direction: 'in', status, headers, httpVersion: '1.1', durationMs: options.durationMs ?? 5, ...(options.body !== undefined ? { body: options.body } : {}) })
    if (status < 300) this.frame({ kind: 'open', direction: 'system', protocol: '' })
    return this
  }

  /** `count` data frames, `everyMs` apart (the first after `everyMs`). */
  data(count: number, everyMs: number): this {
    for (let i = 0; i < count; i++) {
      this.wait(everyMs)
      const data = JSON.stringify({ sentAt: this.now })
      if (this.technique === 'sse' || this.technique === 'streaming') this.frame({ kind: 'chunk', direction: 'in', size: data.length, data })
      else this.frame({ kind: 'message', direction: 'in', data, size: data.length })
    }
    return this
  }

  /** `count` heartbeats (SSE comments, else pings), `everyMs` apart. */
  heartbeats(count: number, everyMs: number): this {
    for (let i = 0; i < count; i++) {
      this.wait(everyMs)
      if (this.technique === 'sse') this.frame({ kind: 'comment', direction: 'in', text: 'ping' })
      else this.frame({ kind: 'ping', direction: 'in', data: '' })
    }
    return this
  }

  /** The attempt ends; idleMs is the silence since the last frame in. Answers the close's seq. */
  close(options: CloseOptions = {}): number {
    const cause = options.cause ?? 'fin'
    const ws = this.technique === 'websocket'
    const code = options.code ?? (ws ? (cause === 'remote-close' ? 1000 : cause === 'local' ? 1000 : 1006) : 0)
    return this.frame({
      kind: 'close',
      direction: 'system',
      code,
      reason: options.reason ?? (cause === 'fin' && !ws ? 'incomplete chunked body: the server closed mid-body' : ''),
      wasClean: options.wasClean ?? (cause === 'remote-close' || cause === 'local'),
      idleMs: this.now - this.lastIn,
      bytesIn: 100,
      bytesOut: 0,
      cause,
    })
  }

  reconnect(delayMs: number): this {
    this.frame({ kind: 'reconnect', direction: 'system', attempt: this.attempt + 1, delayMs })
    this.wait(delayMs)
    return this
  }
}
