// A dropped file sent by a browser page in chunks (it has no path to give the engine),
// written into the recordings folder. Everything about it comes from outside and is
// bounded: chunk size, total size, uploads at once; the name is reduced to a plain
// file name and never replaces another file; the first line must be a recording
// header. Until the final chunk the file is a hidden `.upload-*.part` the library
// does not list; a failed or abandoned upload leaves nothing behind.
import { randomBytes } from 'node:crypto'
import { link, mkdir, open, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_CHUNK_BYTES, RECORDING_EXTENSION, type UploadRecordingAnswer, type UploadRecordingParams } from '../contract/index.js'
import { parseHeader, RecordingError } from '../recording/read-recording.js'

/** Uploads one client may have under way at once. */
export const MAX_UPLOADS = 4
/** A header is a connection spec; the index refuses one longer than this too. */
const MAX_HEADER_LINE = 1 << 20
/** Names tried after the dropped one is taken: "name (2).rti.jsonl" and on. */
const MAX_NAME_TRIES = 1000

export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface RecordingUploadsOptions {
  dir: string
  maxBytes?: number
}

interface Upload {
  fileName: string
  tempPath: string
  handle: FileHandle
  bytes: number
}

export interface RecordingUploads {
  /** Takes one chunk; throws UploadError (or RecordingError for a file that is not a recording). */
  receive(params: UploadRecordingParams): Promise<UploadRecordingAnswer>
  /** Drops every upload under way, their partial files too. */
  dispose(): Promise<void>
}

/** A plain file name from a dropped file's name: no folders, no hidden names, characters any file system takes. */
export function uploadName(fileName: string): string {
  if (/[/\\]/.test(fileName) || fileName.includes('..')) throw new UploadError('E_UPLOAD_INVALID_NAME', `not a plain file name: ${JSON.stringify(fileName.slice(0, 80))}`)
  let name = fileName.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim()
  if (name.startsWith('.') || name === '') throw new UploadError('E_UPLOAD_INVALID_NAME', `not a plain file name: ${JSON.stringify(fileName.slice(0, 80))}`)
  if (!name.endsWith(RECORDING_EXTENSION)) name = name.replace(/\.jsonl$/, '') + RECORDING_EXTENSION
  if (Buffer.byteLength(name) > 200) throw new UploadError('E_UPLOAD_INVALID_NAME', 'the file name is longer than 200 bytes')
  return name
}

export function recordingUploads({ dir, maxBytes = MAX_UPLOAD_BYTES }: RecordingUploadsOptions): RecordingUploads {
  const uploads = new Map<string, Upload>()

  async function abort(upload: Upload): Promise<void> {
    if (uploads.get(upload.fileName) === upload) uploads.delete(upload.fileName)
    await upload.handle.close().catch(() => {})
    await rm(upload.tempPath, { force: true }).catch(() => {})
  }

  async function begin(fileName: string): Promise<Upload> {
    const previous = uploads.get(fileName)
    if (previous) await abort(previous) // the same file dropped again starts over
    if (uploads.size >= MAX_UPLOADS) throw new UploadError('E_UPLOAD_TOO_MANY', `at most ${MAX_UPLOADS} uploads at once; finish one first`)
    try {
      await mkdir(dir, { recursive: true })
      const tempPath = join(dir, `.upload-${randomBytes(6).toString('hex')}.part`)
      const upload = { fileName, tempPath, handle: await open(tempPath, 'wx'), bytes: 0 }
      uploads.set(fileName, upload)
      return upload
    } catch (error) {
      throw new UploadError('E_UPLOAD_WRITE', `cannot write into ${dir}: ${(error as Error).message}`)
    }
  }

  /** Hard-links the finished file under a free name (a link never replaces a file), then lets the temporary name go. */
  async function place(upload: Upload, name: string): Promise<string> {
    const stem = name.slice(0, -RECORDING_EXTENSION.length)
    for (let n = 1; n <= MAX_NAME_TRIES; n++) {
      const candidate = n === 1 ? name : `${stem} (${n})${RECORDING_EXTENSION}`
      try {
        await link(upload.tempPath, join(dir, candidate))
        await rm(upload.tempPath, { force: true })
        return candidate
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UploadError('E_UPLOAD_WRITE', `cannot store ${candidate}: ${(error as Error).message}`)
      }
    }
    throw new UploadError('E_UPLOAD_WRITE', `no free name for ${name} after ${MAX_NAME_TRIES} tries`)
  }

  return {
    async receive({ fileName, offset, base64, final }) {
      const name = uploadName(fileName)
      const chunk = Buffer.from(base64, 'base64')
      if (chunk.length > MAX_UPLOAD_CHUNK_BYTES) throw new UploadError('E_UPLOAD_CHUNK_TOO_BIG', `a chunk holds at most ${MAX_UPLOAD_CHUNK_BYTES} bytes`)
      let upload = uploads.get(fileName)
      if (offset === 0) upload = await begin(fileName)
      else if (!upload) throw new UploadError('E_UPLOAD_UNKNOWN', `no upload of ${name} under way; start again from offset 0`)
      try {
        // Anything wrong ends the upload: the file is never left half-written or with a hole.
        if (offset !== upload.bytes) throw new UploadError('E_UPLOAD_OFFSET', `chunk at ${offset} but ${upload.bytes} bytes received so far; start again from offset 0`)
        if (upload.bytes + chunk.length > maxBytes) throw new UploadError('E_UPLOAD_TOO_BIG', `${name} is larger than ${maxBytes} bytes, the most a recording can be uploaded at`)
        if (offset === 0) checkHeader(chunk, final, name)
        await upload.handle.write(chunk, 0, chunk.length, upload.bytes).catch((error: Error) => {
          throw new UploadError('E_UPLOAD_WRITE', `cannot write ${name}: ${error.message}`)
        })
        upload.bytes += chunk.length
        if (!final) return { bytes: upload.bytes }
        uploads.delete(fileName)
        await upload.handle.close()
        return { bytes: upload.bytes, name: await place(upload, name) }
      } catch (error) {
        await abort(upload)
        throw error
      }
    },
    async dispose() {
      await Promise.all([...uploads.values()].map(abort))
    },
  }
}

/** The first chunk must hold the whole header line (or be the whole file), and it must be a recording header. */
function checkHeader(chunk: Buffer, final: boolean, name: string): void {
  const newline = chunk.subarray(0, MAX_HEADER_LINE).indexOf(10)
  if (newline < 0 && !final) {
    const why = chunk.length >= MAX_HEADER_LINE ? `no line break in the first ${MAX_HEADER_LINE} bytes` : 'the first chunk must hold the whole first line'
    throw new RecordingError('E_RECORDING_NOT_RECORDING', `${name} does not start with a recording header (${why})`)
  }
  parseHeader(chunk.toString('utf8', 0, newline < 0 ? Math.min(chunk.length, MAX_HEADER_LINE) : newline), name)
}
