// What the renderer holds: the contract's InspectorApi plus one signal the contract
// does not carry — that the transport itself went away (the bridge's page outlived
// its server). IPC never fires it; the UI treats both transports alike.
import type { ApiMethod, FrameBatch, InspectorApi, Result } from '@contract'

export interface ApiClient extends InspectorApi {
  onTransportLost(listener: (reason: string) => void): () => void
}

/** Sends one API call over a transport; the engine answers every call with a Result. */
export type CallTransport = <T>(method: ApiMethod, argument?: unknown) => Promise<Result<T>>

/** The InspectorApi on top of a transport's call and frame subscription: one mapping for both transports. */
export function apiOverTransport(call: CallTransport, onFrames: (listener: (batch: FrameBatch) => void) => () => void): InspectorApi {
  return {
    getEnvironment: () => call('getEnvironment'),
    listSessions: () => call('listSessions'),
    openSession: (spec) => call('openSession', spec),
    closeSession: (sessionId) => call('closeSession', sessionId),
    send: (params) => call('send', params),
    subscribe: (params) => call('subscribe', params),
    unsubscribe: (sessionId) => call('unsubscribe', sessionId),
    listConnections: () => call('listConnections'),
    saveConnection: (input) => call('saveConnection', input),
    deleteConnection: (id) => call('deleteConnection', id),
    listSnippets: () => call('listSnippets'),
    saveSnippet: (input) => call('saveSnippet', input),
    deleteSnippet: (id) => call('deleteSnippet', id),
    listRecordings: () => call('listRecordings'),
    renameRecording: (params) => call('renameRecording', params),
    deleteRecording: (name) => call('deleteRecording', name),
    searchRecordings: (params) => call('searchRecordings', params),
    openRecording: (target) => call('openRecording', target),
    recordingFrames: (params) => call('recordingFrames', params),
    filterRecording: (params) => call('filterRecording', params),
    closeRecording: (id) => call('closeRecording', id),
    openPlayback: (params) => call('openPlayback', params),
    controlPlayback: (params) => call('controlPlayback', params),
    uploadRecording: (params) => call('uploadRecording', params),
    resendRecording: (params) => call('resendRecording', params),
    diffRecordings: (params) => call('diffRecordings', params),
    startMock: (params) => call('startMock', params),
    stopMock: (id) => call('stopMock', id),
    listMocks: () => call('listMocks'),
    startProbe: (params) => call('startProbe', params),
    probeStatus: (id) => call('probeStatus', id),
    cancelProbe: (id) => call('cancelProbe', id),
    onFrames,
  }
}
