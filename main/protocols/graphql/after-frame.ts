// A technique whose frames a protocol driver follows: after the technique records a
// frame, the driver sees it (and may add its own right after, in order).
import type { ConnectionSpec, FrameBody } from '../../contract/index.js'
import type { TechniqueSink } from '../../frames/sink.js'
import type { TechniqueFactory } from '../../techniques/technique.js'

/** `base`, with `after(body, spec, sink)` called after each frame it records on `sink`. */
export function afterEachFrame(base: TechniqueFactory, after: (body: FrameBody, spec: ConnectionSpec, sink: TechniqueSink) => void): TechniqueFactory {
  return (spec, sink, attempt) =>
    base(
      spec,
      {
        ...sink,
        frame: (body) => {
          const seq = sink.frame(body)
          after(body, spec, sink)
          return seq
        },
      },
      attempt,
    )
}
