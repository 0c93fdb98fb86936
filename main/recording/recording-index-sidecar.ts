// The index kept beside its recording as `<file>.idx`, so a second open reads ~30 bytes
// a frame instead of scanning the recording again. It is valid only for the exact
// recording it was built from (same size and modification time); anything else — a
// recording that grew, a sidecar from another machine's byte order, a damaged
// sidecar — is ignored and the index is rebuilt. Writing it is best effort: a
// read-only folder just means the next open scans again.
import { open, readFile, rename, rm } from 'node:fs/promises'
import { z } from 'zod'
import type { IndexColumns } from './recording-index-build.js'

export const SIDECAR_SUFFIX = '.idx'
const MAGIC = 'RTIIDX01'
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const MetaSchema = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  littleEndian: z.boolean(),
  count: z.number().int().nonnegative(),
  bodyStart: z.number().int().nonnegative(),
  bodyEnd: z.number().int().nonnegative(),
  skippedLines: z.array(z.number().int().positive()),
  problems: z.array(z.object({ line: z.number(), message: z.string() })),
  problemCount: z.number().int().nonnegative(),
})

export const sidecarPathOf = (recordingPath: string) => recordingPath + SIDECAR_SUFFIX

/** Byte length of the columns for `count` frames: 8-byte ones first, so every array stays aligned. */
const columnsBytes = (count: number) => count * (8 + 8 + 8 + 4 + 1 + 1)

export async function readSidecar(recordingPath: string, stat: { size: number; mtimeMs: number }): Promise<IndexColumns | undefined> {
  let buf: Buffer
  try {
    buf = await readFile(sidecarPathOf(recordingPath))
  } catch {
    return undefined
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) return undefined
  const metaLength = buf.readUInt32LE(8)
  const metaEnd = 12 + metaLength
  if (metaEnd > buf.length) return undefined
  let meta: z.infer<typeof MetaSchema>
  try {
    const parsed = MetaSchema.safeParse(JSON.parse(buf.toString('utf8', 12, metaEnd)))
    if (!parsed.success) return undefined
    meta = parsed.data
  } catch {
    return undefined
  }
  if (meta.size !== stat.size || meta.mtimeMs !== stat.mtimeMs || meta.littleEndian !== LITTLE_ENDIAN) return undefined
  const start = align8(metaEnd)
  const n = meta.count
  if (buf.length !== start + columnsBytes(n)) return undefined

  let at = start
  const take = <T extends Float64Array | Uint32Array | Uint8Array>(make: new (n: number) => T): T => {
    const out = new make(n)
    const bytes = n * out.BYTES_PER_ELEMENT
    new Uint8Array(out.buffer).set(buf.subarray(at, at + bytes))
    at += bytes
    return out
  }
  const offsets = take(Float64Array)
  const seqs = take(Float64Array)
  const times = take(Float64Array)
  const lengths = take(Uint32Array)
  const kinds = take(Uint8Array)
  const directions = take(Uint8Array)
  // A damaged sidecar must not send reads past the end of the recording.
  if (n > 0 && offsets[n - 1]! + lengths[n - 1]! > stat.size) return undefined
  return { count: n, offsets, lengths, seqs, times, kinds, directions, skippedLines: meta.skippedLines, bodyStart: meta.bodyStart, bodyEnd: meta.bodyEnd, problems: meta.problems, problemCount: meta.problemCount }
}

export async function writeSidecar(recordingPath: string, stat: { size: number; mtimeMs: number }, columns: IndexColumns): Promise<boolean> {
  const meta = Buffer.from(
    JSON.stringify({
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      littleEndian: LITTLE_ENDIAN,
      count: columns.count,
      bodyStart: columns.bodyStart,
      bodyEnd: columns.bodyEnd,
      skippedLines: columns.skippedLines,
      problems: columns.problems,
      problemCount: columns.problemCount,
    }),
  )
  const prefix = Buffer.alloc(align8(12 + meta.length))
  prefix.write(MAGIC, 0, 'latin1')
  prefix.writeUInt32LE(meta.length, 8)
  meta.copy(prefix, 12)
  const target = sidecarPathOf(recordingPath)
  const temporary = `${target}.${process.pid}.tmp`
  try {
    const handle = await open(temporary, 'w', 0o600)
    try {
      const parts = [prefix, ...[columns.offsets, columns.seqs, columns.times, columns.lengths, columns.kinds, columns.directions].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength))]
      const { bytesWritten } = await handle.writev(parts)
      if (bytesWritten !== parts.reduce((sum, part) => sum + part.byteLength, 0)) throw new Error('short write')
    } finally {
      await handle.close()
    }
    await rename(temporary, target)
    return true
  } catch {
    await rm(temporary, { force: true }).catch(() => {})
    return false
  }
}

const align8 = (n: number) => (n + 7) & ~7
