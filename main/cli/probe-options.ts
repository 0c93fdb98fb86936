// The flags of `rti probe`: what the probe needs of `rti connect`'s (technique,
// method and body, headers, auth, subprotocols, the protocol, TLS, proxy) and its own (--max-time, --playground, --json). Like
// connect-options.ts this must not load the contract (zod): it runs for `rti --help`.
import { InvalidArgumentError, Option, type Command } from 'commander'
import { PROTOCOL_CHOICES, TECHNIQUE_CHOICES, type ConnectFlags } from './connect-options.js'

export type ProbeFlags = Pick<
  ConnectFlags,
  'technique' | 'json' | 'method' | 'body' | 'header' | 'query' | 'user' | 'bearer' | 'subprotocol' | 'protocol' | 'ca' | 'cert' | 'key' | 'insecure' | 'proxy' | 'systemProxy'
> & {
  /** Seconds. */
  maxTime?: number
  playground?: string
}

export const PROBE_EXIT = { CLEAN: 0, FINDINGS: 1, USAGE: 2, UNREACHABLE: 3, INTERRUPTED: 130 } as const

export const PROBE_HELP = `
What it does (checks run at once, all bounded by --max-time):
  connect       the endpoint as given: time to headers and first byte, the hop named
  upgrade       does a WebSocket upgrade survive the path (upgrade-stripped, proxy-denied)
  idle-timeout  two silent connections held until cut, and one with a heartbeat
                that should outlive the cut (confirms it): idle-timeout
  lifetime      connections with a message every second cut at a constant age:
                max-lifetime (an idle timeout lets them live)
  buffering, compression, event-delay
                an SSE ticker with and without Accept-Encoding: identity: headers
                withheld, bursts, each event's delay after its server timestamp
                (buffering, compression-buffering, coalescing-delay)
  caching       polls faster than the value changes (stale-cache)
  matrix        the five techniques through the path for a few seconds each
Silence, heartbeats and tickers come from an \`rti playground\` reached through the
same path: found at the endpoint's own origin, or given with --playground. Without
one, the checks that need it are skipped and other techniques are untested.

Output:
  A report on stdout: findings (evidence, remedy), the checks, the technique matrix.
  Progress on stderr while it runs (updated in place on a terminal). With --json:
  the report as one JSON object ({ url, technique, state, findings: [{ id,
  severity, summary, evidence, remedy, … }], matrix: [...], checks, measured }).
  Ctrl+C stops the probe and prints what it has.

Examples:
  $ rti probe -t sse http://127.0.0.1:PORT/sse/ticker      (the playground itself)
  $ rti probe wss://example.com/socket --playground https://example.com/rti --max-time 90
  $ rti probe -t sse https://example.com/events --proxy http://proxy:3128 --json | jq .findings
  $ rti probe -t sse http://localhost:8080/sse/ticker --max-time 20 || echo "findings"
  $ rti probe ws://localhost:3000/socket.io/ --protocol socket.io --max-time 60
  $ rti probe -t sse -X POST --body '{"query":"subscription{tick}"}' http://localhost:4000/graphql/stream

Exit codes:
  0    no finding of severity warning or error (also after Ctrl+C, for what was seen)
  1    findings of severity warning or error
  2    usage error: unknown flag, bad value, bad URL, an http(s):// URL without -t
  3    the endpoint cannot be reached through this path (refused, DNS, TLS, the proxy)
  130  a second Ctrl+C: stopped without waiting`

function maxTime(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 2 || n > 3600) throw new InvalidArgumentError('expected a number of seconds from 2 to 3600.')
  return n
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

export function addProbeOptions(command: Command): Command {
  const o = (flags: string, description: string) => new Option(flags, description)
  const groups: [string, Option[]][] = [
    [
      'General:',
      [
        new Option('-t, --technique <name>', 'the endpoint\'s technique (default: websocket for ws:// and wss://; http(s):// URLs need one)').choices(TECHNIQUE_CHOICES),
        o('--max-time <seconds>', 'stop the whole probe after this long and report what it has (default 120)').argParser(maxTime),
        o('--playground <url>', "an rti playground reached through the same path (default: the endpoint's own origin, if it is one)"),
        o('--json', 'print the report as one JSON object'),
        new Option(
          '--protocol <name>',
          "the endpoint's protocol (default auto: decode what is certain). A named one drives the held connections too — its handshake made, its heartbeats answered — so they are held as a real client holds them",
        ).choices(PROTOCOL_CHOICES),
      ],
    ],
    [
      'HTTP:',
      [
        o('-X, --method <method>', 'GET, POST, PUT, PATCH or DELETE for the endpoint itself (default GET; not websocket)'),
        o('--body <text>', 'send this request body to the endpoint itself (not websocket)'),
        o('-H, --header <"Name: value">', 'add a request header, or a handshake header for websocket (repeatable)').argParser(collect),
        o('-q, --query <name=value>', 'add a query parameter to the URL (repeatable)').argParser(collect),
      ],
    ],
    ['Auth:', [o('-u, --user <user:password>', 'basic authentication'), o('--bearer <token>', 'send "Authorization: Bearer <token>"').conflicts('user')]],
    ['WebSocket:', [o('-s, --subprotocol <name>', 'offer a subprotocol (repeatable)').argParser(collect)]],
    [
      'TLS:',
      [
        o('--ca <file>', "trust this certificate authority (PEM) too, besides the system's"),
        o('--cert <file>', 'client certificate (PEM), with --key'),
        o('--key <file>', 'client private key (PEM), with --cert'),
        o('-k, --insecure', 'skip certificate verification'),
      ],
    ],
    [
      'Proxy (default: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY from the environment):',
      [
        o('--proxy <url>', 'probe through this proxy: http://, https:// or socks5://[user:password@]host:port'),
        o('--no-proxy', 'connect directly, ignoring the proxy variables'),
        o('--system-proxy', "the operating system's proxy settings; only the desktop app can read them, here the variables are used").conflicts('proxy'),
      ],
    ],
  ]
  for (const [heading, options] of groups) for (const option of options) command.addOption(option.helpGroup(heading))
  return command
}
