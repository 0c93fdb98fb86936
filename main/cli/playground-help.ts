// `rti playground --help`: the endpoints and their query-string knobs, made from the
// playground's own catalogue so the help cannot drift from what the server does.
import { describeEndpoints } from '../playground/endpoints.js'

const INDENT = '      '

/** Every endpoint, grouped by technique: its path, then its name and description wrapped to `width`. */
export function playgroundEndpointsHelp(width = 80): string {
  const endpoints = describeEndpoints('')
  const lines = ['', 'Endpoints and their query-string knobs (paths on the base URL it prints):']
  let technique = ''
  for (const endpoint of endpoints) {
    if (endpoint.technique !== technique) {
      technique = endpoint.technique
      lines.push('', `  ${technique}`)
    }
    // The protocol goes after the description: the URL line stays the bare path.
    const protocol = endpoint.protocol ? ` Connect with --protocol ${endpoint.protocol}.` : ''
    lines.push(`    ${endpoint.url}`, ...wrap(`${endpoint.name}: ${endpoint.description}${protocol}`, Math.max(40, width - INDENT.length)).map((line) => INDENT + line))
  }
  lines.push(
    '',
    'Examples:',
    '  $ rti playground --port 8080',
    '  $ rti connect -t sse "http://127.0.0.1:8080/sse/ticker?interval=300&count=5"',
    `  $ rti connect --protocol socket.io --emit chat --args '["hi"]' --ack \\`,
    '      ws://127.0.0.1:8080/socket.io/',
    '  $ rti connect --protocol graphql-transport-ws ws://127.0.0.1:8080/graphql \\',
    "      --subscribe 'subscription { ticks(count: 3) { n sentAt } }'",
  )
  return lines.join('\n')
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}
