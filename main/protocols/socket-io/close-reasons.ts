// Socket.IO's and Engine.IO's refusals and ends in words: what a CONNECT_ERROR, a
// DISCONNECT, an Engine.IO close and the server's HTTP error codes mean, and what
// to do about them. Read by the decoder (packets get `meaning`) and the driver (the
// finding at the end of a session).

/** What a CONNECT_ERROR's data says, in words. */
export function connectErrorMeaning(data: unknown): string {
  const message = typeof data === 'string' ? data : typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : undefined
  if (message === 'Invalid namespace') return 'the server has no such namespace (nothing on the server serves it: io.of(name) was never set up)'
  if (message === undefined) return 'the server refused to connect this namespace'
  const extra = typeof data === 'object' && data !== null && (data as { data?: unknown }).data !== undefined ? ` (data: ${safeJson((data as { data?: unknown }).data)})` : ''
  return `the server refused to connect this namespace: its middleware said "${message}"${extra}`
}

export function disconnectMeaning(direction: 'in' | 'out'): string {
  return direction === 'in'
    ? 'the server disconnected this namespace (socket.disconnect() on the server); socket.io-client does not reconnect after that'
    : 'the client leaves this namespace'
}

export function engineCloseMeaning(direction: 'in' | 'out'): string {
  return direction === 'in' ? 'the server closes the Engine.IO session' : 'the client closes the Engine.IO session'
}

/** Engine.IO's error answers (HTTP 400/403 with `{"code":n,"message":…}`), in words. */
const ENGINE_ERRORS: Record<number, string> = {
  0: 'the server does not serve this transport (see its `transports` option)',
  1: 'the server does not know this session id: it ended the session (a missed pong, a restart) or the request reached another server (sticky sessions are needed behind a load balancer)',
  2: 'the handshake must be a GET',
  3: 'the server refused the request as malformed',
  4: 'the server\'s allowRequest refused the connection',
  5: 'the server does not speak this Engine.IO version (EIO=3 needs allowEIO3: true on a Socket.IO 4 server)',
}

/** The meaning of an Engine.IO error body, or undefined when the body is not one. */
export function engineErrorMeaning(body: string): { code: number; message: string; meaning: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown }
    if (typeof parsed.code !== 'number') return undefined
    const message = typeof parsed.message === 'string' ? parsed.message : ''
    return { code: parsed.code, message, meaning: ENGINE_ERRORS[parsed.code] ?? 'an Engine.IO error the inspector does not know' }
  } catch {
    return undefined
  }
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
