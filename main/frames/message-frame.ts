// An incoming message as a frame, made where it leaves the engine: by the session
// for a batch, by the recording writer for a line. One builder, so both give the
// same fields in the same order (docs/architecture.md, "The frame model").
import type { Frame, FrameBody } from '../contract/index.js'
import type { LazyDecode } from './sink.js'

export function messageFrame(data: Buffer, binary: boolean, seq: number, time: number, decode?: LazyDecode): Frame {
  const decoded = decode?.(data, binary)
  if (decoded !== undefined) return { ...messageBodyOf(data, binary), decoded, seq, time }
  // Same key order as frames made from a body, so `--json` lines all read alike.
  return binary
    ? { kind: 'message', direction: 'in', dataBase64: data.toString('base64'), binary: true, size: data.length, seq, time }
    : { kind: 'message', direction: 'in', data: data.toString('utf8'), size: data.length, seq, time }
}

/** An incoming message's frame body: text in `data`, or bytes in `dataBase64` with `binary: true`. */
export function messageBodyOf(data: Buffer, binary: boolean): Extract<FrameBody, { kind: 'message' }> {
  return binary
    ? { kind: 'message', direction: 'in', dataBase64: data.toString('base64'), binary: true, size: data.length }
    : { kind: 'message', direction: 'in', data: data.toString('utf8'), size: data.length }
}
