// The flags of `rti connect`, grouped in --help the way the connection spec is
// (General, HTTP, Auth, TLS, …). Values are kept as the strings typed: connect-spec.ts
// turns them into a ConnectionSpec and the contract's schema judges them, so the
// bounds live in one place. This module must not load the contract (zod): it runs
// for every `rti --help`.
import { InvalidArgumentError, Option, type Command } from 'commander'
import type { TechniqueName } from '../contract/connection-spec.js'
import type { ProtocolChoice } from '../contract/protocol.js'

/**
 * The contract's TECHNIQUES, repeated here because loading the contract loads zod,
 * which would double the time `rti --help` takes (a test keeps the two equal).
 */
export const TECHNIQUE_CHOICES: readonly TechniqueName[] = ['websocket', 'sse', 'long-polling', 'polling', 'streaming']
/** The contract's PROTOCOL_CHOICES, repeated for the same reason (a test keeps the two equal). */
export const PROTOCOL_CHOICES: readonly ProtocolChoice[] = ['auto', 'none', 'socket.io', 'graphql-transport-ws', 'graphql-ws', 'graphql-sse']

/**
 * What to send once the protocol is ready, in the order the flags were typed:
 * `--send` text, `--emit` (with the `--args` and `--ack` after it), `--subscribe`
 * (with the `--variables` and `--operation-name` after it).
 */
export type OutgoingFlag =
  | { type: 'text'; data: string }
  | { type: 'emit'; event: string; args?: string; ack?: boolean }
  | { type: 'subscribe'; query: string; variables?: string; operationName?: string }

/** What commander hands over: strings as typed, booleans for switches. */
export interface ConnectFlags {
  technique?: TechniqueName
  json?: boolean
  maxFrames?: number
  duration?: number
  send?: string[]
  chunks: boolean
  maxMessageBytes?: string
  method?: string
  header?: string[]
  query?: string[]
  body?: string
  bodyFile?: string
  user?: string
  bearer?: string
  ca?: string
  cert?: string
  key?: string
  insecure?: boolean
  /** A URL, or false for --no-proxy. */
  proxy?: string | false
  systemProxy?: boolean
  reconnect?: boolean
  reconnectDelay?: string
  reconnectMaxDelay?: string
  reconnectMultiplier?: string
  reconnectJitter?: string
  reconnectAttempts?: string
  subprotocol?: string[]
  deflate?: boolean
  maxPayload?: string
  handshakeTimeout?: string
  lastEventId?: string
  compare: boolean
  cursor?: string
  cursorParam?: string
  messagesPath?: string
  requestTimeout?: string
  interval?: string
  jitter?: string
  conditional: boolean
  framing?: string
  delimiter?: string
  idleTimeout?: string
  diagnostics: boolean
  timestampField?: string
  heartbeatDeadline?: string
  minInterval?: string
  protocol?: ProtocolChoice
  namespace?: string
  auth?: string
  eio?: string
  upgrade?: boolean
  init?: string
  singleConnection?: boolean
  /** --send, --emit and --subscribe with their modifiers, in the order typed (see `trackOutgoing`). */
  outgoing?: OutgoingFlag[]
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** setTimeout cannot wait longer than 2^31-1 ms; beyond that it fires at once. */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000)
function seconds(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_SECONDS) throw new InvalidArgumentError(`expected a number of seconds above 0 (at most ${MAX_SECONDS}).`)
  return n
}
function positiveInteger(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.')
  return n
}
type Group = [heading: string, options: Option[]]

/** Every group with its flags, in the order --help shows them. */
function groups(): Group[] {
  const o = (flags: string, description: string) => new Option(flags, description)
  return [
    [
      'General:',
      [
        new Option('-t, --technique <name>', 'how to connect (default: websocket for ws:// and wss://; http(s):// URLs need one)').choices(TECHNIQUE_CHOICES),
        o('--json', 'print every frame as JSON, one per line (NDJSON), and nothing else on stdout'),
        o('-n, --max-frames <n>', 'stop after printing n frames (then close politely)').argParser(positiveInteger),
        o('-d, --duration <seconds>', 'stop after this many seconds (then close politely)').argParser(seconds),
        o('--send <text>', 'send a text message once open (repeatable, in order; websocket)').argParser(collect),
        o('--no-chunks', 'hide raw chunk frames in the human view (--json always prints them)'),
        o('--max-message-bytes <n>', 'largest message, event, line or body accepted; bigger ones are an error (default 16777216)'),
      ],
    ],
    [
      'HTTP:',
      [
        o('-X, --method <method>', 'GET, POST, PUT, PATCH or DELETE (default GET; not websocket)'),
        o('-H, --header <"Name: value">', 'add a request header, or a handshake header for websocket (repeatable)').argParser(collect),
        o('-q, --query <name=value>', 'add a query parameter to the URL (repeatable)').argParser(collect),
        o('--body <text>', 'send this request body (not websocket)').conflicts('bodyFile'),
        o('--body-file <file>', 'send the contents of this file as the request body (at most 16 MiB)'),
      ],
    ],
    [
      'Auth:',
      [
        o('-u, --user <user:password>', 'basic authentication'),
        o('--bearer <token>', 'send "Authorization: Bearer <token>"').conflicts('user'),
      ],
    ],
    [
      'TLS:',
      [
        o('--ca <file>', "trust this certificate authority (PEM) too, besides the system's"),
        o('--cert <file>', 'client certificate (PEM), with --key'),
        o('--key <file>', 'client private key (PEM), with --cert'),
        o('-k, --insecure', 'skip certificate verification (a finding says so)'),
      ],
    ],
    [
      'Proxy (default: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY from the environment):',
      [
        o('--proxy <url>', 'connect through this proxy: http://, https:// or socks5://[user:password@]host:port'),
        o('--no-proxy', 'connect directly, ignoring the proxy variables'),
        o('--system-proxy', "the operating system's proxy settings; only the desktop app can read them, here the variables are used").conflicts('proxy'),
      ],
    ],
    [
      'Reconnect (exponential backoff with jitter):',
      [
        o('--reconnect', 'reconnect when the connection ends or fails (default: on for sse, long-polling and polling)'),
        o('--no-reconnect', 'never reconnect (default for websocket and streaming)'),
        o('--reconnect-delay <ms>', "first delay (default 3000 for sse, or the server's retry; 1000 otherwise)"),
        o('--reconnect-max-delay <ms>', 'longest delay (default 30000)'),
        o('--reconnect-multiplier <n>', 'each delay is the previous one times n, 1 to 10 (default 2)'),
        o('--reconnect-jitter <f>', 'add up to this fraction of each delay at random, 0 to 1 (default 0.2)'),
        o('--reconnect-attempts <n>', 'failed attempts in a row before giving up; 0 = never give up (default 10)'),
      ],
    ],
    [
      'WebSocket:',
      [
        o('-s, --subprotocol <name>', 'offer a subprotocol (repeatable)').argParser(collect),
        o('--deflate', 'offer permessage-deflate compression (default off)'),
        o('--max-payload <bytes>', 'largest message accepted; bigger ones close with 1009 (default 104857600)'),
        o('--handshake-timeout <ms>', 'give up when the handshake takes longer (default 15000)'),
      ],
    ],
    [
      'SSE:',
      [
        o('--last-event-id <id>', 'send Last-Event-ID on the first request (reconnects send the stream\'s own)'),
        o('--no-compare', 'do not run the eventsource package on the same bytes to show where it differs (default: compare)'),
      ],
    ],
    [
      'Long-polling:',
      [
        o('--cursor <from>', 'where the next cursor comes from: header:NAME, json:PATH, query:HEADER (a URL in that header) or none (default none)'),
        o('--cursor-param <name>', 'query parameter the cursor is sent back in (default cursor)'),
        o('--messages-path <path>', 'dot path to the array of messages in a JSON answer, also for polling (default: the whole body)'),
        o('--request-timeout <ms>', 'give up on one request after this long, also for polling (default 90000; polling 30000)'),
        o('--min-interval <ms>', 'never ask again sooner than this after an answer that came at once; doubles while answers keep coming at once (default 250)'),
      ],
    ],
    [
      'Polling:',
      [
        o('--interval <ms>', 'time between polls (default 2000)'),
        o('--jitter <ms>', 'add up to this much to each interval at random (default 0)'),
        o('--no-conditional', 'do not send If-None-Match / If-Modified-Since (default: send them)'),
      ],
    ],
    [
      'Streaming:',
      [
        o('--framing <mode>', 'cut the body into messages: none, ndjson, delimiter or script (default ndjson)'),
        o('--delimiter <text>', 'the delimiter for --framing delimiter; escapes like \\n and \\x1e work (default \\n)'),
        o('--idle-timeout <ms>', 'give up when no byte arrives for this long; 0 = wait for ever (default 0)'),
      ],
    ],
    [
      'Protocol (decoded packets beside the raw frames; a chosen protocol also drives the session):',
      [
        new Option('--protocol <name>', 'auto: decode what is certain, send nothing by itself; none: no decoding; or speak socket.io, graphql-transport-ws, graphql-ws (legacy) or graphql-sse (implies the technique and subprotocol)').choices(PROTOCOL_CHOICES),
        o('--namespace <ns>', 'Socket.IO namespace to connect (default /)'),
        o('--auth <json>', "Socket.IO: the CONNECT packet's auth payload, a JSON object"),
        o('--eio <3|4>', 'Engine.IO version: 4 (Socket.IO 3/4) or 3 (Socket.IO 2, allowEIO3) (default 4)'),
        o('--no-upgrade', 'Socket.IO on an http(s):// URL: stay on polling instead of upgrading to WebSocket'),
        o('--emit <event>', 'Socket.IO: emit this event once connected (repeatable, in order with --send and --subscribe)'),
        o('--args <json>', 'the arguments of the --emit before it, a JSON array (default [])'),
        o('--ack', 'the --emit before it asks for an acknowledgement (its round-trip time is shown)'),
        o('--init <json>', 'GraphQL: the connection_init payload, a JSON object'),
        o('--subscribe <query>', 'GraphQL: subscribe with this query once the connection is acknowledged (repeatable)'),
        o('--variables <json>', 'the variables of the --subscribe before it, a JSON object'),
        o('--operation-name <name>', 'the operationName of the --subscribe before it'),
        o('--single-connection', 'graphql-sse: one stream for every operation (a reservation first) instead of one request each'),
      ],
    ],
    [
      'Diagnostics (findings: why the connection drops or stalls):',
      [
        o('--no-diagnostics', 'do not run the detectors on this session (default: run them)'),
        o('--timestamp-field <path>', "the payload's JSON field with the server's send time, for lag and bursts, e.g. meta.sentAt (default: sentAt, timestamp, ts, time or t)"),
        o('--heartbeat-deadline <ms>', 'silence on an open connection after which it counts as silently dropped (default: learned from the heartbeats)'),
      ],
    ],
  ]
}

/** Adds every `rti connect` flag to `command`, under its group heading. */
export function addConnectOptions(command: Command): Command {
  for (const [heading, options] of groups()) {
    for (const option of options) command.addOption(option.helpGroup(heading))
  }
  return trackOutgoing(command)
}

/**
 * Commander keeps each flag's values apart; what is sent must keep the order typed,
 * and `--args` / `--ack` / `--variables` / `--operation-name` belong to the `--emit`
 * or `--subscribe` before them. Option events come in argv order, so they are
 * collected here into `outgoing`.
 */
function trackOutgoing(command: Command): Command {
  const outgoing: OutgoingFlag[] = []
  const last = <T extends OutgoingFlag['type']>(type: T, flag: string): Extract<OutgoingFlag, { type: T }> => {
    const item = outgoing.at(-1)
    if (item?.type !== type) command.error(`error: ${flag} belongs after the ${type === 'emit' ? '--emit' : '--subscribe'} it modifies`, { exitCode: 2 })
    return item as Extract<OutgoingFlag, { type: T }>
  }
  command.on('option:send', (data: string) => outgoing.push({ type: 'text', data }))
  command.on('option:emit', (event: string) => outgoing.push({ type: 'emit', event }))
  command.on('option:args', (args: string) => (last('emit', '--args').args = args))
  command.on('option:ack', () => (last('emit', '--ack').ack = true))
  command.on('option:subscribe', (query: string) => outgoing.push({ type: 'subscribe', query }))
  command.on('option:variables', (variables: string) => (last('subscribe', '--variables').variables = variables))
  command.on('option:operation-name', (name: string) => (last('subscribe', '--operation-name').operationName = name))
  command.hook('preAction', (_command, action) => {
    if (action === command) action.setOptionValue('outgoing', [...outgoing])
  })
  return command
}
