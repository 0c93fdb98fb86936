// The close codes of graphql-transport-ws (the graphql-ws library's PROTOCOL.md), in
// words: what each says happened and what to do about it. A server close with one of
// them is a protocol outcome, not a network drop, and the user should read which.
import type { FrameBody, FrameOf } from '../../contract/index.js'

interface CloseCodeText {
  /** Short, for the close frame's `meaning`. */
  meaning: string
  /** The sentence after "the server closed with 4401 Unauthorized: …". */
  explanation: string
  remedy: string
  /** The graphql-ws client gives up on these instead of reconnecting. */
  fatal: boolean
}

const CODES: Record<number, CloseCodeText> = {
  4400: {
    meaning: 'Bad Request (graphql-transport-ws): the server could not read a message',
    explanation: 'a message was not valid graphql-transport-ws (not JSON, an unknown type, or a field missing)',
    remedy: 'Send only the protocol’s messages: connection_init, subscribe {id, payload: {query}}, complete {id}, ping, pong. The close reason names what the server rejected.',
    fatal: true,
  },
  4401: {
    meaning: 'Unauthorized (graphql-transport-ws): a subscribe came before connection_ack',
    explanation: 'a subscribe came before the server acknowledged the connection (connection_ack)',
    remedy: 'Wait for connection_ack before subscribing. With --protocol graphql-transport-ws the inspector sends connection_init and waits for the ack by itself; a --send of a raw subscribe does not wait.',
    fatal: true,
  },
  4403: {
    meaning: 'Forbidden (graphql-transport-ws): the server refused the connection_init',
    explanation: 'the server refused the connection: its onConnect rejected the connection_init payload',
    remedy: 'Check the connection_init payload (--init): the token or credentials the server expects, in the shape it expects.',
    fatal: true,
  },
  4406: {
    meaning: 'Subprotocol not acceptable (graphql-transport-ws): the server speaks another subprotocol',
    explanation: 'the WebSocket subprotocol was not graphql-transport-ws',
    remedy: 'Offer the subprotocol graphql-transport-ws. "graphql-ws" is the legacy subscriptions-transport-ws protocol, which the graphql-ws library no longer speaks.',
    fatal: true,
  },
  4408: {
    meaning: 'Connection initialisation timeout (graphql-transport-ws): no connection_init in time',
    explanation: 'no connection_init arrived within the server’s connectionInitWaitTimeout (3 s by default)',
    remedy: 'Send connection_init right after the socket opens; --protocol graphql-transport-ws does so by itself.',
    fatal: false,
  },
  4409: {
    meaning: 'Subscriber already exists (graphql-transport-ws): an operation id was used twice',
    explanation: 'a subscribe reused the id of an operation that is still running',
    remedy: 'Give every running operation its own id; complete one before reusing its id.',
    fatal: true,
  },
  4429: {
    meaning: 'Too many initialisation requests (graphql-transport-ws): a second connection_init',
    explanation: 'connection_init was sent twice on one connection',
    remedy: 'Send connection_init once per connection.',
    fatal: true,
  },
  4500: {
    meaning: 'Internal server error (graphql-transport-ws)',
    explanation: 'the server failed while handling a message',
    remedy: 'Look at the server’s logs at this time; the close reason may hold the error message.',
    fatal: true,
  },
}

export function transportWsCloseMeaning(code: number): string | undefined {
  return CODES[code]?.meaning
}

export function isFatalTransportWsClose(code: number): boolean {
  return CODES[code]?.fatal === true
}

/** The finding for a server close with a graphql-transport-ws code; undefined for other closes. */
export function transportWsCloseFinding(close: Extract<FrameBody, { kind: 'close' }> | FrameOf<'close'>): FrameBody | undefined {
  const text = CODES[close.code]
  if (!text || close.cause === 'local') return undefined
  const name = text.meaning.split(' (')[0]
  return {
    kind: 'finding',
    direction: 'system',
    id: 'protocol-close',
    severity: 'warning',
    summary: `The server closed with ${close.code} ${name}: ${text.explanation}`,
    evidence: [`close ${close.code}${close.reason ? ` "${close.reason}"` : ''}`, 'graphql-transport-ws defines this code (the graphql-ws library’s PROTOCOL.md)'],
    remedy: text.remedy,
  }
}
