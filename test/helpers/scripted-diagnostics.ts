// What the diagnostics test scripts (DiagnosticsScript, StampedFeed) share: a
// SessionDiagnostics runner for a made-up session, frames numbered and timed on a
// fake clock, every finding frame it emits kept, and the findings it holds read back.
import { ConnectionSpecSchema, type ConnectionSpecInput, type FindingId, type Frame, type FrameBody } from '../../main/contract/index.js'
import { SessionDiagnostics, type FindingBody } from '../../main/diagnostics/session-diagnostics.js'

export class ScriptedDiagnostics {
  readonly diagnostics: SessionDiagnostics
  /** Every finding frame the runner emitted, in order. */
  readonly emitted: FindingBody[] = []
  readonly technique: ConnectionSpecInput['technique']
  protected seq = 0
  protected attempt = 0

  /** `now`: where the fake clock starts (ms since the epoch); `port`: of the made-up URL when the spec has none. */
  constructor(
    spec: Partial<ConnectionSpecInput> & { technique: ConnectionSpecInput['technique'] },
    public now: number,
    port: number,
  ) {
    this.technique = spec.technique
    const url = spec.url ?? (spec.technique === 'websocket' ? `ws://127.0.0.1:${port}/x` : `http://127.0.0.1:${port}/x`)
    this.diagnostics = new SessionDiagnostics(ConnectionSpecSchema.parse({ ...spec, url }), {
      emit: (body) => {
        this.emitted.push(body)
        return ++this.seq
      },
    })
  }

  /** The frame's seq. */
  frame(body: FrameBody): number {
    const seq = ++this.seq
    this.diagnostics.observe({ ...body, seq, time: this.now } as Frame)
    return seq
  }

  wait(ms: number): this {
    this.now += ms
    return this
  }

  finding(id: FindingId) {
    return this.diagnostics.list().find((f) => f.id === id)
  }

  /** The ids of the findings held, sorted; only those of `family` when given (other detectors judge other things). */
  ids(family?: readonly string[]): string[] {
    return this.diagnostics
      .list()
      .map((f) => f.id)
      .filter((id) => !family || family.includes(id))
      .sort()
  }
}
