// The playback part of one client's InspectorApi: open a recording as a read-only
// session, control it, and receive a dropped file in chunks.
import { fail, type InspectorApi } from '../contract/index.js'

type PlaybackMethods = Pick<InspectorApi, 'openPlayback' | 'controlPlayback' | 'uploadRecording'>

export function playbackApi(): PlaybackMethods {
  const notYet = async () => fail('E_PLAYBACK_UNAVAILABLE', 'playback is not available yet')
  return { openPlayback: notYet, controlPlayback: notYet, uploadRecording: notYet }
}
