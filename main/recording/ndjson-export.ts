// The two plain exports: the messages alone as NDJSON (one message or event frame a
// line, the same objects the recording holds, for jq and scripts), and a copy of the
// recording itself. Both stream; neither holds the recording in memory.
import { copyFile, constants } from 'node:fs/promises'
import type { Frame } from '../contract/index.js'
import { OutFileError, writeNewFile } from './har-out-file.js'
import { openRecording, type RecordingProblem } from './read-recording.js'

/** Frames that carry what the endpoint and the client said to each other. */
export function isMessageFrame(frame: Frame): boolean {
  return frame.kind === 'message' || frame.kind === 'event'
}

export interface NdjsonExportSummary {
  messages: number
  problems: RecordingProblem[]
}

export async function exportMessagesNdjson(recordingPath: string, outPath: string): Promise<NdjsonExportSummary> {
  const reader = await openRecording(recordingPath)
  const messages = await writeNewFile(outPath, async (out) => {
    let count = 0
    for await (const frame of reader.frames) {
      if (!isMessageFrame(frame)) continue
      await out.write(JSON.stringify(frame) + '\n')
      count++
    }
    return count
  })
  return { messages, problems: reader.problems }
}

/** A byte-for-byte copy of a recording (checked to be one first); never over an existing file. */
export async function copyRecording(recordingPath: string, outPath: string): Promise<void> {
  const reader = await openRecording(recordingPath)
  // The header is checked; leaving the loop at once closes the file (a generator
  // that never started would not run its cleanup).
  for await (const _ of reader.frames) break
  try {
    await copyFile(recordingPath, outPath, constants.COPYFILE_EXCL)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new OutFileError('E_EXPORT_EXISTS', `${outPath} already exists; remove it or choose another name`)
    throw new OutFileError('E_EXPORT_WRITE', `cannot write ${outPath}: ${(error as Error).message}`)
  }
}
