// Feeds frames to the diagnostics runner on a made-up clock, with payloads stamped
// at chosen server send times: what the flow detectors (buffering, coalescing-delay)
// and the HTTP ones (answers, caches) need to be told apart in unit tests.
import type { ConnectionSpecInput } from '../../main/contract/index.js'
import { ScriptedDiagnostics } from './scripted-diagnostics.js'

export class StampedFeed extends ScriptedDiagnostics {
  /** Headers every answer has unless a test says otherwise (an event stream's type, for SSE). */
  private readonly usual: Record<string, string>

  constructor(spec: Omit<ConnectionSpecInput, 'url'> & { url?: string }) {
    super(spec, 1_800_000_000_000, 9)
    this.usual = spec.technique === 'sse' ? { 'content-type': 'text/event-stream' } : {}
  }

  /** A new attempt: connecting, the request, and `durationMs` later the answer (opened when 2xx/101). */
  answer(options: { status?: number; headers?: Record<string, string>; body?: string; durationMs?: number; from?: 'proxy'; url?: string; proxy?: string } = {}): number {
    const url = options.url ?? 'http://127.0.0.1:9/x'
    this.frame({ kind: 'connecting', direction: 'system', url, attempt: ++this.attempt, ...(options.proxy ? { proxy: options.proxy } : {}) })
    return this.respond(options)
  }

  /** Another request and answer in the same attempt (a poll). */
  respond(options: { status?: number; headers?: Record<string, string>; body?: string; durationMs?: number; from?: 'proxy'; unchanged?: boolean } = {}): number {
    this.frame({ kind: 'request', direction: 'out', method: 'GET', url: 'http://127.0.0.1:9/x', headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    const durationMs = options.durationMs ?? 3
    this.wait(durationMs)
    const status = options.status ?? 200
    const seq = this.frame({
      kind: 'response',
      direction: 'in',
      status,
      headers: { ...this.usual, ...options.headers },
      httpVersion: '1.1',
      durationMs,
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.from ? { from: options.from } : {}),
      ...(options.unchanged ? { unchanged: true } : {}),
    })
    if ((status >= 200 && status < 300) || status === 101) this.frame({ kind: 'open', direction: 'system', protocol: '' })
    return seq
  }

  /**
   * One read carrying a payload per send time (ms before now), as a chunk (SSE,
   * streaming) or as messages; sampled as a live session samples.
   */
  read(sentAgoMs: number[], kind: 'chunk' | 'message' = 'chunk'): this {
    const payloads = sentAgoMs.map((ago, i) => JSON.stringify({ n: i, sentAt: this.now - ago }))
    if (kind === 'message') {
      for (const data of payloads) this.data('message', data)
      return this
    }
    this.data('chunk', payloads.map((p) => `data: ${p}\n\n`).join(''))
    return this
  }

  private data(kind: 'chunk' | 'message', text: string): void {
    const seq = ++this.seq
    this.diagnostics.dataIn(this.now, text.length)
    if (this.diagnostics.wantsSample(this.now)) this.diagnostics.sample(seq, this.now, kind, text)
  }

  /** `count` payloads `everyMs` apart, each arriving `lagMs` after it was sent. */
  stream(count: number, everyMs: number, lagMs: number | (() => number), kind: 'chunk' | 'message' = 'chunk'): this {
    for (let i = 0; i < count; i++) this.wait(everyMs).read([typeof lagMs === 'number' ? lagMs : lagMs()], kind)
    return this
  }
}

/**
 * Values spread over [min, max) in a fixed scrambled order: jitter for scripted
 * lags that is the same on every run, so a test cannot pass or fail by luck.
 */
export function steadyJitter(min: number, max: number): () => number {
  let state = 12345
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return min + (state / 2147483648) * (max - min)
  }
}
