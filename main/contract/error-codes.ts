// Every `E_*` code the engine, the desktop shell and the app can answer, with the area it
// belongs to and one sentence for people. The codes are a public contract: scripts match
// on them and recordings keep them, so a code is never renamed in place. When two codes
// named one condition, one was kept and the other lives on as an alias, so an old
// recording still explains itself. New codes follow `E_<AREA>_<WHAT>`, AREA being the
// prefix of their area below; the codes marked `grandfathered` were named before that
// rule and keep their names, because renaming them would break the scripts that match
// on them (test/contract/error-codes.test.ts holds both rules and checks that every code
// used in the source is listed here). Pure data: the renderer imports it too.

/** The areas codes belong to, each with the prefix its new codes take. */
export const ERROR_AREAS = {
  network: { prefix: 'NET', title: 'Network' },
  tls: { prefix: 'TLS', title: 'TLS' },
  proxy: { prefix: 'PROXY', title: 'Proxy' },
  http: { prefix: 'HTTP', title: 'HTTP' },
  websocket: { prefix: 'WS', title: 'WebSocket' },
  sse: { prefix: 'SSE', title: 'Server-Sent Events' },
  streaming: { prefix: 'STREAM', title: 'HTTP streaming' },
  polling: { prefix: 'POLL', title: 'Polling and long-polling' },
  technique: { prefix: 'TECHNIQUE', title: 'Techniques' },
  reconnect: { prefix: 'RECONNECT', title: 'Reconnecting' },
  protocol: { prefix: 'PROTOCOL', title: 'Protocols' },
  socketio: { prefix: 'SOCKETIO', title: 'Socket.IO' },
  graphql: { prefix: 'GRAPHQL', title: 'GraphQL' },
  spec: { prefix: 'SPEC', title: 'Connection settings' },
  session: { prefix: 'SESSION', title: 'Sessions' },
  recording: { prefix: 'RECORDING', title: 'Recordings' },
  playback: { prefix: 'PLAYBACK', title: 'Playback' },
  upload: { prefix: 'UPLOAD', title: 'Uploading recordings' },
  resend: { prefix: 'RESEND', title: 'Re-sending recordings' },
  export: { prefix: 'EXPORT', title: 'Exports' },
  har: { prefix: 'HAR', title: 'HAR import' },
  library: { prefix: 'LIBRARY', title: 'Library' },
  mock: { prefix: 'MOCK', title: 'Mock servers' },
  probe: { prefix: 'PROBE', title: 'Probe' },
  api: { prefix: 'API', title: 'Engine API' },
  ipc: { prefix: 'IPC', title: 'Desktop app' },
  bridge: { prefix: 'BRIDGE', title: 'Browser app' },
  editor: { prefix: 'EDITOR', title: 'Editor' },
} as const

export type ErrorArea = keyof typeof ERROR_AREAS

export interface ErrorCodeEntry {
  readonly area: ErrorArea
  /** What the code means, in one sentence for people (the message beside it says the particulars). */
  readonly words: string
  /** Older codes for the same condition: no longer sent, still found in old recordings and scripts. */
  readonly aliases?: readonly string[]
  /** Named before the `E_<AREA>_<WHAT>` rule; kept, since scripts match on it. */
  readonly grandfathered?: true
}

const G = { grandfathered: true } as const

export const ERROR_CODES = {
  // Network: codes a socket or an HTTP request ends with (see net/error-codes.ts).
  E_CONNECT_REFUSED: { area: 'network', words: 'The connection was refused: nothing is listening on that host and port.', ...G },
  E_CONNECTION_RESET: { area: 'network', words: 'The peer or something in between reset the connection.', ...G },
  E_CONNECTION_CLOSED: { area: 'network', words: 'The connection closed while a request was still under way.', ...G },
  E_DNS: { area: 'network', words: 'The host name could not be resolved.', ...G },
  E_UNREACHABLE: { area: 'network', words: 'The host or its network cannot be reached from here.', ...G },
  E_TIMEOUT: { area: 'network', words: 'No answer came in time.', ...G },
  E_NETWORK: { area: 'network', words: 'The network failed in a way that has no more precise code.', ...G },
  E_ABORTED: { area: 'network', words: 'The request was cancelled here before it finished.', ...G },
  E_CONNECT: { area: 'network', words: 'The connection could not be made (an imported HAR entry holds no response).', ...G },
  E_URL_INVALID: { area: 'spec', words: 'The URL is not valid.', ...G },

  E_TLS: { area: 'tls', words: 'The TLS handshake failed.', ...G },
  E_TLS_FILE: { area: 'tls', words: 'A certificate or key file given in the TLS settings cannot be read.' },

  E_PROXY: { area: 'proxy', words: 'The proxy failed the connection (for example its TLS).', ...G },
  E_PROXY_AUTH: { area: 'proxy', words: 'The proxy wants credentials (407 Proxy Authentication Required).' },
  E_PROXY_REFUSED: { area: 'proxy', words: 'The proxy refused to open a tunnel to the target.' },
  E_PROXY_TLS: { area: 'proxy', words: 'The TLS connection to the proxy itself failed.' },
  E_PROXY_UNREACHABLE: { area: 'proxy', words: 'The proxy cannot be reached.' },

  E_HTTP_STATUS: { area: 'http', words: 'The server answered with an HTTP status that ends the attempt.' },
  E_INCOMPLETE_BODY: { area: 'http', words: 'The response body ended before it was complete.', ...G },

  E_HANDSHAKE: { area: 'websocket', words: 'The WebSocket handshake failed: the server did not answer 101 Switching Protocols.', ...G },
  E_WS_PROTOCOL: { area: 'websocket', words: 'The peer broke the WebSocket protocol (a malformed frame), so the connection was closed.' },

  E_SSE_BAD_STATUS: { area: 'sse', words: 'The event stream answered a status other than 200; a browser would not reconnect.' },
  E_SSE_BAD_CONTENT_TYPE: { area: 'sse', words: 'The event stream is not text/event-stream; a browser would not reconnect.' },
  E_SSE_BAD_REDIRECT: { area: 'sse', words: 'The event stream redirected somewhere it cannot be followed.' },
  E_SSE_TOO_MANY_REDIRECTS: { area: 'sse', words: 'The event stream redirected too many times in a row.' },
  E_SSE_CONTENT_ENCODING: { area: 'sse', words: 'The event stream uses a content encoding that is not decoded here; it is parsed as it came.' },
  E_SSE_DECODE: { area: 'sse', words: 'The compressed event stream could not be decoded.' },
  E_SSE_LAST_EVENT_ID: { area: 'sse', words: 'The last event ID cannot be sent in a header, so the reconnect goes without it.' },

  E_STREAM_DELIMITER: { area: 'streaming', words: 'The message delimiter set for HTTP streaming is not valid.' },
  E_STREAM_ENCODING: { area: 'streaming', words: 'The stream uses a content encoding that is not decoded here; the bytes are shown as they came.' },
  E_STREAM_NOT_JSON: { area: 'streaming', words: 'A line of the NDJSON stream is not JSON; it is kept as text.' },
  E_CONTENT_DECODING: { area: 'streaming', words: 'The compressed body could not be decoded.', ...G },
  E_PARTIAL_MESSAGE: { area: 'streaming', words: 'The body ended in the middle of a message.', ...G },

  E_MESSAGES_PATH: { area: 'polling', words: 'The path to the messages in the answer found nothing usable; the answer is shown whole.', ...G },
  E_CURSOR_MISSING: { area: 'polling', words: 'The answer carried no cursor for the next request, so the previous one is used again.', ...G },
  E_MIN_INTERVAL_FLOOR: { area: 'polling', words: 'The interval asked for is below the floor every repeated request keeps; the floor is used.', ...G },

  E_MESSAGE_TOO_BIG: {
    area: 'technique',
    words: 'A message is larger than limits.maxMessageBytes, so the connection was stopped.',
    aliases: ['E_WS_MESSAGE_TOO_BIG'],
    ...G,
  },
  E_TECHNIQUE_UNSUPPORTED: { area: 'technique', words: 'This technique is not available.' },
  E_NOT_OPEN: { area: 'technique', words: 'Nothing can be sent: the connection is not open.', ...G },
  E_NOT_SUPPORTED: { area: 'technique', words: 'This connection cannot send that kind of message.', ...G },

  E_RECONNECT_FLOOR: { area: 'reconnect', words: 'The reconnect delay asked for is below the floor between attempts; the floor is used.' },
  E_RECONNECT_GAVE_UP: { area: 'reconnect', words: 'Reconnecting stopped after too many failed attempts in a row.' },

  E_PROTOCOL: { area: 'protocol', words: "The server's answer does not follow the protocol chosen.", ...G },
  E_PROTOCOL_NONE: { area: 'protocol', words: 'Emitting, subscribing or completing needs a protocol (Socket.IO or GraphQL) chosen for the connection.' },
  E_PROTOCOL_NOT_READY: { area: 'protocol', words: 'Too many messages already wait for the protocol to be ready.' },
  E_PROTOCOL_INTENT: { area: 'protocol', words: 'The protocol chosen cannot do that (for example emit an event over GraphQL).' },
  E_PROTOCOL_OPERATION: { area: 'protocol', words: 'The protocol needs exactly one operation for this mode.' },
  E_PROTOCOL_SUBPROTOCOL: { area: 'protocol', words: 'The WebSocket subprotocols offered do not include the one the protocol needs.' },
  E_PROTOCOL_TECHNIQUE: { area: 'protocol', words: 'The protocol does not run over the technique chosen.' },

  E_UPGRADE_FAILED: { area: 'socketio', words: 'The upgrade from polling to WebSocket failed; the session stays on polling.', ...G },
  E_POST_FAILED: { area: 'socketio', words: 'Sending packets by POST failed, which ends the Engine.IO session.', ...G },

  E_GRAPHQL_NO_OPERATION: { area: 'graphql', words: 'No running operation has that id.' },
  E_GRAPHQL_VARIABLES: { area: 'graphql', words: 'The operation variables are not a JSON object.' },
  E_GRAPHQL_SSE_REFUSED: { area: 'graphql', words: 'The graphql-sse server refused the request.' },
  E_GRAPHQL_SSE_RESERVATION: { area: 'graphql', words: 'The graphql-sse server did not grant a stream reservation; it may not offer the single-connection mode.' },

  E_SPEC_INVALID: { area: 'spec', words: 'The connection settings are not valid.' },

  E_SESSION_CLOSED: { area: 'session', words: 'The session is closed.' },
  E_SESSION_LIMIT: { area: 'session', words: 'Too many sessions are open at once; close some first.' },
  E_SESSION_READ_ONLY: { area: 'session', words: 'A recording played back is read-only: nothing can be sent.' },
  E_SESSION_UNKNOWN: { area: 'session', words: 'No session has that id.' },

  E_RECORDING_OPEN: { area: 'recording', words: 'The recording file could not be opened; the session goes on unrecorded.' },
  E_RECORDING_WRITE: { area: 'recording', words: 'Writing the recording failed; the session goes on unrecorded.' },
  E_RECORDING_LIMIT: { area: 'recording', words: 'The recording reached its size cap and stopped; the session goes on unrecorded.' },
  E_RECORDING_BEHIND: { area: 'recording', words: 'The disk could not keep up, so the recording stopped; the session goes on unrecorded.' },
  E_RECORDING_UNREADABLE: { area: 'recording', words: 'The recording file cannot be read.' },
  E_RECORDING_NOT_RECORDING: {
    area: 'recording',
    words: 'The file is not a recording.',
    // The app once said this of a dropped file with the wrong extension.
    aliases: ['E_RECORDING_NOT_A_RECORDING'],
  },
  E_RECORDING_BAD_QUERY: { area: 'recording', words: 'The filter over the recording is not valid.' },
  E_RECORDING_TOO_MANY_OPEN: { area: 'recording', words: 'Too many recordings are open at once; close one first.' },
  E_RECORDING_UNKNOWN: { area: 'recording', words: 'No open recording has that id.' },

  E_PLAYBACK_INTERNAL: { area: 'playback', words: 'Playing the recording back failed inside the engine.' },
  E_PLAYBACK_NOT_PLAYBACK: { area: 'playback', words: 'That session is live, not a recording played back.' },
  E_PLAYBACK_READ: { area: 'playback', words: 'Reading the recording failed during playback.' },
  E_PLAYBACK_TOO_MANY: { area: 'playback', words: 'Too many recordings are playing at once; close one first.' },

  E_UPLOAD_TOO_BIG: {
    area: 'upload',
    words: 'The recording is larger than an upload may be.',
    // The app's own size check once had its own name.
    aliases: ['E_UPLOAD_TOO_LARGE'],
  },
  E_UPLOAD_CHUNK_TOO_BIG: { area: 'upload', words: 'A piece of the upload is larger than a piece may be.' },
  E_UPLOAD_INVALID_NAME: { area: 'upload', words: 'The uploaded file name is not a plain file name.' },
  E_UPLOAD_OFFSET: { area: 'upload', words: 'A piece of the upload came out of order; the upload starts again.' },
  E_UPLOAD_TOO_MANY: { area: 'upload', words: 'Too many uploads are under way at once.' },
  E_UPLOAD_UNKNOWN: { area: 'upload', words: 'No upload of that file is under way; the upload starts again.' },
  E_UPLOAD_WRITE: { area: 'upload', words: 'The uploaded recording could not be stored.' },
  E_UPLOAD_NO_NAME: { area: 'upload', words: 'The engine did not say where it stored the uploaded file.' },

  E_RESEND_READ: { area: 'resend', words: 'The recording to re-send cannot be read.' },
  E_RESEND_SPEC: { area: 'resend', words: 'The recorded connection cannot be opened again.' },
  E_RESEND_TOO_LARGE: { area: 'resend', words: 'The recording has more to send than a re-send keeps.' },
  E_RESEND_URL: { area: 'resend', words: 'The URL to re-send to does not fit the recording.' },

  E_EXPORT_EXISTS: { area: 'export', words: 'The file to export to already exists.' },
  E_EXPORT_WRITE: { area: 'export', words: 'The export could not be written.' },

  E_HAR_UNREADABLE: { area: 'har', words: 'The HAR file cannot be read.' },
  E_HAR_TOO_BIG: { area: 'har', words: 'The HAR file is too large to import.' },
  E_HAR_NOT_JSON: { area: 'har', words: 'The HAR file is not JSON.' },
  E_HAR_VERSION: { area: 'har', words: 'The HAR file has a version that is not read.' },
  E_HAR_INVALID: { area: 'har', words: 'The HAR file is not a valid HAR.' },
  E_HAR_TOO_MANY_ENTRIES: { area: 'har', words: 'The HAR file has more entries than are imported.' },
  E_HAR_NOTHING_TO_IMPORT: { area: 'har', words: 'The HAR file has no entries to import.' },

  E_LIBRARY_UNAVAILABLE: { area: 'library', words: 'There is no data folder to keep the library in.' },
  E_LIBRARY_NOT_FOUND: { area: 'library', words: 'No saved item has that name.' },
  E_LIBRARY_EXISTS: { area: 'library', words: 'A saved item already has that name.' },
  E_LIBRARY_INVALID_NAME: { area: 'library', words: 'That name cannot be used for a saved item.' },
  E_LIBRARY_READ: { area: 'library', words: 'The library could not be read.' },
  E_LIBRARY_UNREADABLE: { area: 'library', words: 'A saved item is damaged and cannot be read.' },
  E_LIBRARY_WRITE: { area: 'library', words: 'The library could not be written.' },

  E_MOCK_CLOSED: { area: 'mock', words: 'The engine is closing; no mock server starts.' },
  E_MOCK_LIMIT: { area: 'mock', words: 'Too many mock servers run at once; stop one first.' },
  E_MOCK_NOTHING_TO_SERVE: { area: 'mock', words: 'The recording holds nothing a mock server can serve.' },
  E_MOCK_ORIGIN: { area: 'mock', words: 'An origin allowed to call the mock server is not valid.' },
  E_MOCK_PORT: { area: 'mock', words: 'The port asked for cannot be used.' },
  E_MOCK_START: { area: 'mock', words: 'The mock server could not start.' },
  E_MOCK_TECHNIQUE: { area: 'mock', words: "The recording's technique cannot be served by a mock." },
  E_MOCK_TOO_LARGE: { area: 'mock', words: 'The recording has more to serve than a mock keeps.' },
  E_MOCK_UNKNOWN: { area: 'mock', words: 'No mock server has that id.' },

  E_PROBE_CLOSED: { area: 'probe', words: 'The engine is closing; no probe starts.' },
  E_PROBE_INVALID: { area: 'probe', words: 'The probe settings are not valid.' },
  E_PROBE_LIMIT: { area: 'probe', words: 'Too many probes run at once; wait for one or cancel it.' },
  E_PROBE_UNKNOWN: { area: 'probe', words: 'No probe has that id (finished reports are kept a while only).' },
  E_PROBE_UNAVAILABLE: { area: 'probe', words: 'This engine cannot run the probe.' },

  E_API_INVALID_ARGUMENT: { area: 'api', words: 'A call to the engine had an argument that is not valid.' },
  E_API_UNKNOWN_METHOD: { area: 'api', words: 'The engine has no such method.' },
  E_INTERNAL: { area: 'api', words: 'The engine failed inside; the engine and its sessions go on.', ...G },

  E_IPC_FAILED: { area: 'ipc', words: 'A call from the window to the engine failed.' },
  E_IPC_UNKNOWN_CHANNEL: { area: 'ipc', words: 'The window called a method the engine does not have.' },
  E_IPC_UNTRUSTED_SENDER: { area: 'ipc', words: 'A call to the engine came from a page that is not the app, and was refused.' },

  E_BRIDGE_DISCONNECTED: { area: 'bridge', words: 'The connection to the engine was lost.' },

  E_EDITOR_INVALID: { area: 'editor', words: 'Some options in the editor are not valid; fix them before saving.' },
} as const satisfies Record<string, ErrorCodeEntry>

export type ErrorCode = keyof typeof ERROR_CODES

const BY_ALIAS: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries(ERROR_CODES as Record<string, ErrorCodeEntry>).flatMap(([code, entry]) => (entry.aliases ?? []).map((alias) => [alias, code as ErrorCode] as const)),
)

/** The code a (possibly older) code stands for today, or undefined when it is not in the catalogue. */
export function canonicalErrorCode(code: string): ErrorCode | undefined {
  if (Object.hasOwn(ERROR_CODES, code)) return code as ErrorCode
  return BY_ALIAS.get(code)
}

/** The catalogue's entry for a code or one of its aliases. */
export function errorCodeEntry(code: string): (ErrorCodeEntry & { readonly code: ErrorCode }) | undefined {
  const canonical = canonicalErrorCode(code)
  return canonical === undefined ? undefined : { code: canonical, ...(ERROR_CODES[canonical] as ErrorCodeEntry) }
}

/** What a code means, in words for people; undefined for a code the catalogue does not know. */
export function describeErrorCode(code: string): string | undefined {
  return errorCodeEntry(code)?.words
}
