// What a frame's payload costs to hold, the same in the engine's replay history and
// the app's frame window: the lengths of its payload fields (text in `data`, bytes as
// base64 in `dataBase64`, an HTTP body in `body` or `bodyBase64`). String length
// stands in for bytes: close enough for a budget, and free to compute on the hot path.
import type { Frame } from './frames.js'

type PayloadFields = { data?: unknown; dataBase64?: unknown; body?: unknown; bodyBase64?: unknown }

/** The summed length of the frame's payload fields; 0 for a frame without one. */
export function payloadLength(frame: Frame): number {
  const f = frame as PayloadFields
  let length = 0
  if (typeof f.data === 'string') length += f.data.length
  if (typeof f.dataBase64 === 'string') length += f.dataBase64.length
  if (typeof f.body === 'string') length += f.body.length
  if (typeof f.bodyBase64 === 'string') length += f.bodyBase64.length
  return length
}
