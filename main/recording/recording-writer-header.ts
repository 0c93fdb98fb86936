// The first line of a recording: what was connected to and when, the spec's secrets
// replaced by "[redacted]" so a recording can be shared without its credentials.
import { RECORDING_FORMAT, RECORDING_VERSION, type ConnectionSpec, type RecordingHeader } from '../contract/index.js'
import { VERSION } from '../version.js'
import { redactSpec } from './recording-writer-redact.js'

export function recordingHeader(spec: ConnectionSpec, startedAt: number, sessionId: string): RecordingHeader {
  return { format: RECORDING_FORMAT, version: RECORDING_VERSION, spec: redactSpec(spec), startedAt, sessionId, writer: `rti ${VERSION}` }
}
