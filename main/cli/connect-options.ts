// The flags of `rti connect`, grouped in --help the way the connection spec is
// (General, HTTP, Auth, TLS, …). Values are kept as the strings typed: connect-spec.ts
// turns them into a ConnectionSpec and the contract's schema judges them, so the
// bounds live in one place. This module must not load the contract (zod): it runs
// for every `rti --help`.
import { InvalidArgumentError, Option, type Command } from 'commander'
import type { TechniqueName } from '../contract/connection-spec.js'

/**
 * The contract's TECHNIQUES, repeated here because loading the contract loads zod,
 * which would double the time `rti --help` takes (a test keeps the two equal).
 */
export const TECHNIQUE_CHOICES: readonly TechniqueName[] = ['websocket', 'sse', 'long-polling', 'polling', 'streaming']

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
  return command
}
