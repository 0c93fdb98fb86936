// `rti connect` flags → connection spec, in-process: the same commander options and
// spec builder the bin uses, without a child process per case.
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type ConnectionSpec } from '../../main/contract/index.js'
import { SPEC_FLAGS } from '../../main/cli/connect-issues.js'
import { addConnectOptions, type ConnectFlags } from '../../main/cli/connect-options.js'
import { buildSpec } from '../../main/cli/connect-spec.js'
import { CliError } from '../../main/cli/errors.js'

function build(args: string[]) {
  const command = addConnectOptions(new Command('connect').argument('<url>'))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .action(() => {})
  command.parse(args, { from: 'user' })
  return buildSpec(command.args[0]!, command.opts<ConnectFlags>())
}
const specOf = (...args: string[]): ConnectionSpec => ConnectionSpecSchema.parse(build(args).spec)
const usageOf = (...args: string[]): string => {
  try {
    build(args)
  } catch (error) {
    if (error instanceof CliError && error.exitCode === 2) return error.message
    throw error
  }
  throw new Error(`no usage error for ${args.join(' ')}`)
}

const HTTP = 'http://h/p'

describe('rti connect flags → connection spec', () => {
  it('puts in only what was typed, so the schema and the technique decide the rest', () => {
    expect(build(['-t', 'sse', HTTP]).spec).toEqual({ technique: 'sse', url: HTTP, headers: [], query: [] })
    const spec = specOf('-t', 'sse', HTTP)
    expect(spec.reconnect.enabled).toBeUndefined()
    expect(spec.reconnect.initialDelayMs).toBeUndefined()
    expect(spec.proxy.mode).toBe('env')
    expect(spec.sse.compareWithEventSource).toBe(true)
  })

  it('takes websocket for ws:// URLs and asks which technique for http:// ones', () => {
    expect(specOf('ws://h/').technique).toBe('websocket')
    expect(usageOf(HTTP)).toBe('"http://h/p" needs a technique: add -t sse|long-polling|polling|streaming (or connect to "ws://h/p" for a WebSocket)')
    expect(usageOf('https://h/')).toContain('"wss://h/"')
  })

  it('maps the HTTP, auth, TLS and proxy flags', () => {
    const spec = specOf('-t', 'polling', HTTP, '-X', 'post', '--body', '{}', '-q', 'a=1', '-q', 'b=x=y', '-H', 'X-A: 1', '-u', 'me:p:w', '-k', '--proxy', 'socks5://127.0.0.1:1080')
    expect(spec).toMatchObject({
      method: 'POST',
      body: '{}',
      query: [{ name: 'a', value: '1' }, { name: 'b', value: 'x=y' }],
      headers: [{ name: 'X-A', value: '1' }],
      auth: { type: 'basic', username: 'me', password: 'p:w' },
      tls: { insecure: true },
      proxy: { mode: 'url', url: 'socks5://127.0.0.1:1080' },
    })
    expect(specOf('-t', 'sse', HTTP, '--bearer', 'tok').auth).toEqual({ type: 'bearer', token: 'tok' })
    expect(specOf('-t', 'sse', HTTP, '--no-proxy').proxy.mode).toBe('none')
    expect(specOf('-t', 'sse', HTTP, '--system-proxy').proxy.mode).toBe('system')
    expect(specOf('-t', 'sse', HTTP, '--ca', 'package.json').tls.caFile).toBe('package.json')
    expect(specOf('-t', 'sse', HTTP, '--body-file', 'package.json').body).toContain('"name": "realtime-inspector"')
  })

  it('maps the reconnect, limit and per-technique flags', () => {
    expect(specOf('-t', 'sse', HTTP, '--no-reconnect').reconnect.enabled).toBe(false)
    const spec = specOf('ws://h/', '--reconnect', '--reconnect-delay', '50', '--reconnect-max-delay', '900', '--reconnect-multiplier', '1.5', '--reconnect-jitter', '0', '--reconnect-attempts', '0', '--max-message-bytes', '1024', '-s', 'chat', '--deflate', '--max-payload', '99', '--handshake-timeout', '500')
    expect(spec.reconnect).toEqual({ enabled: true, initialDelayMs: 50, maxDelayMs: 900, multiplier: 1.5, jitter: 0, maxAttempts: 0 })
    expect(spec.limits.maxMessageBytes).toBe(1024)
    expect(spec.websocket).toEqual({ subprotocols: ['chat'], perMessageDeflate: true, maxPayload: 99, handshakeTimeoutMs: 500 })
    expect(specOf('-t', 'sse', HTTP, '--last-event-id', '42', '--no-compare').sse).toEqual({ lastEventId: '42', compareWithEventSource: false })
    expect(specOf('-t', 'sse', HTTP, '--no-diagnostics', '--timestamp-field', 'meta.sentAt', '--heartbeat-deadline', '45000').diagnostics).toEqual({ enabled: false, timestampField: 'meta.sentAt', heartbeatDeadlineMs: 45000 })
    expect(specOf('-t', 'long-polling', HTTP, '--cursor', 'json:meta.next', '--cursor-param', 'after', '--messages-path', 'messages', '--request-timeout', '5000').longPolling).toEqual({
      cursor: { from: 'json', name: 'meta.next', param: 'after' },
      requestTimeoutMs: 5000,
      messagesPath: 'messages',
      minIntervalMs: 250,
    })
    expect(specOf('-t', 'polling', HTTP, '--interval', '50', '--jitter', '5', '--no-conditional', '--request-timeout', '700', '--messages-path', 'items').polling).toEqual({
      intervalMs: 50,
      jitterMs: 5,
      conditional: false,
      requestTimeoutMs: 700,
      messagesPath: 'items',
    })
    expect(specOf('-t', 'streaming', HTTP, '--framing', 'delimiter', '--delimiter', '\\x1e', '--idle-timeout', '3000').streaming).toEqual({ framing: 'delimiter', delimiter: '\\x1e', idleTimeoutMs: 3000 })
  })

  it('warns about flags the chosen technique does not read', () => {
    expect(build(['-t', 'sse', HTTP, '--interval', '50', '--no-conditional', '-s', 'chat']).warnings).toEqual([
      '--subprotocol is for websocket; ignored with -t sse',
      '--interval is for polling; ignored with -t sse',
      '--no-conditional is for polling; ignored with -t sse',
    ])
    expect(build(['ws://h/', '-X', 'POST']).warnings).toEqual(['--method is for sse and long-polling and polling and streaming; ignored with -t websocket'])
  })

  it.each([
    [['--reconnect-jitter', '2'], '--reconnect-jitter must be between 0 and 1 (got 2)'],
    [['--reconnect-multiplier', '0.5'], '--reconnect-multiplier must be between 1 and 10 (got 0.5)'],
    [['--reconnect-attempts', '1.5'], '--reconnect-attempts must be a whole number (got 1.5)'],
    [['--reconnect-delay', 'soon'], '--reconnect-delay must be a number (got "soon")'],
    [['--interval', '5'], '--interval must be between 10 and 86400000 (got 5)'],
    [['--max-message-bytes', '0'], '--max-message-bytes must be between 1 and 1073741824 (got 0)'],
    [['-X', 'FETCH'], '--method must be one of GET, POST, PUT, PATCH, DELETE (got "FETCH")'],
    [['--framing', 'xml'], '--framing must be one of none, ndjson, delimiter, script (got "xml")'],
    [['--delimiter', ''], '--delimiter cannot be empty'],
    [['--cursor', 'cookie:x'], '--cursor must be header:NAME, json:PATH, query:HEADER or none (got "cookie:x")'],
    [['--cursor', 'header:X-Cursor', '--cursor-param', ''], '--cursor-param: the query parameter to send the cursor in cannot be empty'],
    [['--proxy', 'ftp://x'], '--proxy: proxies must be http://, https:// or socks5://, not ftp://'],
    [['--user', 'nopassword'], '--user must be user:password (an empty password is "user:")'],
    [['--bearer', 'a\nb'], '--bearer: tokens cannot contain line breaks'],
    [['--last-event-id', 'a\nb'], '--last-event-id cannot contain line breaks or NUL characters'],
    [['-q', 'novalue'], '--query "novalue" is not of the form name=value'],
    [['--ca', '/no/such.pem'], '--ca /no/such.pem: cannot read it (ENOENT)'],
    [['--cert', 'package.json'], '--cert needs --key (the client private key) too'],
    [['--body-file', '/no/such'], '--body-file /no/such: cannot read it (ENOENT)'],
    [['--body-file', '.'], '--body-file . is a directory'],
  ])('%j → one clear line', (flags, message) => {
    expect(usageOf('-t', 'polling', HTTP, ...flags)).toBe(message)
  })

  it('keeps --send, --emit and their modifiers in the order typed, and puts --subscribe in the spec', () => {
    const built = build(['ws://h/socket.io/', '--protocol', 'socket.io', '--send', 'raw', '--emit', 'chat', '--args', '["hi"]', '--ack', '--emit', 'ping'])
    expect(built.outgoing).toEqual([
      { type: 'text', data: 'raw' },
      { type: 'emit', event: 'chat', args: '["hi"]', ack: true },
      { type: 'emit', event: 'ping', args: '[]', ack: false },
    ])
    const graphql = specOf('ws://h/graphql', '--protocol', 'graphql-transport-ws', '--init', '{"token":"t"}', '--subscribe', 'subscription { a }', '--variables', '{"x":1}', '--subscribe', 'subscription { b }', '--operation-name', 'B')
    expect(graphql.protocol.graphql).toEqual({
      init: '{"token":"t"}',
      operations: [
        { query: 'subscription { a }', variables: '{"x":1}', operationName: '' },
        { query: 'subscription { b }', variables: '', operationName: 'B' },
      ],
      singleConnection: false,
    })
  })

  it('lets a protocol imply its technique', () => {
    expect(specOf('http://h/socket.io/', '--protocol', 'socket.io').technique).toBe('long-polling')
    expect(specOf('ws://h/socket.io/', '--protocol', 'socket.io', '--namespace', '/admin', '--auth', '{"token":"x"}', '--eio', '3').protocol.socketio).toEqual({ namespace: '/admin', auth: '{"token":"x"}', eio: 3, upgrade: true })
    expect(specOf('http://h/graphql/stream', '--protocol', 'graphql-sse').technique).toBe('sse')
  })

  it.each([
    [['ws://h/', '--emit', 'chat'], '--emit needs --protocol socket.io (it is a Socket.IO event)'],
    [['ws://h/', '--protocol', 'socket.io', '--emit', 'chat', '--args', '{"a":1}'], '--emit chat --args: the arguments must be a JSON array'],
    [['ws://h/', '--protocol', 'socket.io', '--emit', 'chat', '--args', '[1,'], '--emit chat --args: not valid JSON'],
    [['ws://h/', '--subscribe', 'subscription { a }'], '--subscribe needs a GraphQL protocol: --protocol graphql-transport-ws, graphql-ws or graphql-sse'],
    [['http://h/graphql', '--protocol', 'graphql-transport-ws'], '--protocol graphql-transport-ws runs over WebSocket: connect to "ws://h/graphql"'],
    [['ws://h/', '--protocol', 'socket.io', '--eio', '5'], '--eio must be 3 or 4 (got "5")'],
  ])('protocol flags %j → one clear line', (args, message) => {
    expect(usageOf(...args)).toBe(message)
  })

  it('names a flag for every option of the connection spec', () => {
    const leaves: string[] = []
    const walk = (node: unknown, path: string[]) => {
      let def = (node as { _zod: { def: { type: string; innerType?: unknown; shape?: Record<string, unknown>; options?: unknown[] } } })._zod.def
      while (['default', 'prefault', 'optional', 'nullable'].includes(def.type)) def = (def.innerType as typeof node as { _zod: { def: typeof def } })._zod.def
      if (def.type === 'object') for (const [key, child] of Object.entries(def.shape!)) walk(child, [...path, key])
      else if (def.type === 'union') for (const option of def.options!) walk(option, path)
      else leaves.push(path.join('.'))
    }
    walk(ConnectionSpecSchema, [])
    // `record` is the app's per-session recording switch; the CLI records with `--record FILE` and `rti record`.
    const unnamed = [...new Set(leaves)].filter((leaf) => !['name', 'technique'].includes(leaf) && !leaf.startsWith('record.') && !(leaf in SPEC_FLAGS))
    expect(unnamed).toEqual([])
  })
})
