/** The catalogue shown at `/` and handed to the app for its ready-made connections. */

export type PlaygroundTechnique = 'websocket' | 'sse' | 'long-polling' | 'polling' | 'streaming';

export interface PlaygroundEndpoint {
  technique: PlaygroundTechnique;
  name: string;
  url: string;
  description: string;
}

interface Entry {
  technique: PlaygroundTechnique;
  name: string;
  path: string;
  description: string;
}

// The first entry of each technique is the one a first run connects to.
const CATALOGUE: readonly Entry[] = [
  { technique: 'websocket', name: 'WebSocket ticker', path: '/ws/ticker?interval=1000', description: 'A stamped JSON message every interval ms. Query: interval (0 = as fast as the client reads, needs count), count (then closes 1000), size (pads each message to about this many bytes, max 1 MiB).' },
  { technique: 'websocket', name: 'WebSocket echo', path: '/ws/echo', description: 'Echoes every text and binary message back unchanged. Accepts any subprotocol (the first offered).' },
  { technique: 'websocket', name: 'WebSocket handshake headers', path: '/ws/headers', description: 'Sends one message on open: the handshake request headers the server received and the selected subprotocol.' },
  { technique: 'websocket', name: 'WebSocket close with code', path: '/ws/close?code=4000&reason=bye&after=3000', description: 'Sends a close frame with code and reason after `after` ms.' },
  { technique: 'websocket', name: 'WebSocket dropped (FIN, no close frame)', path: '/ws/drop?after=3000', description: 'Ends the TCP connection without a close frame after `after` ms; clients see 1006.' },
  { technique: 'websocket', name: 'WebSocket reset (TCP RST)', path: '/ws/reset?after=3000', description: 'Resets the TCP connection after `after` ms; clients see ECONNRESET.' },
  { technique: 'websocket', name: 'WebSocket handshake rejected', path: '/ws/reject?status=403', description: 'Answers the upgrade with a plain HTTP response of the given status, a text body and X-Playground-Reason: rejected.' },
  { technique: 'sse', name: 'SSE ticker', path: '/sse/ticker?interval=1000', description: 'Events with ids, alternating `tick` and unnamed, a heartbeat comment every 3 events, retry: 2000. Honours Last-Event-ID; after count, reconnects get 204.' },
  { technique: 'long-polling', name: 'Long-poll feed', path: '/longpoll?cursor=0&hold=10000', description: 'Holds until a message after cursor exists (one is produced about every second while clients wait) or hold ms pass. Answers {cursor, messages}; next cursor also in X-Cursor.' },
  { technique: 'polling', name: 'Polled counter', path: '/poll', description: 'A counter that changes about every 2 s, with ETag and Last-Modified; conditional requests get 304.' },
  { technique: 'streaming', name: 'NDJSON stream', path: '/stream?format=ndjson&interval=1000', description: 'A chunked response with one stamped JSON object per line. Query: interval, count.' },
  { technique: 'streaming', name: 'Delimited stream', path: '/stream?format=delimiter&interval=1000', description: 'Records each followed by \\x1e, or by the `delimiter` query parameter (1-16 bytes).' },
  { technique: 'streaming', name: 'Hidden-iframe script stream', path: '/stream?format=script&interval=1000', description: 'An HTML document with 2 KB of padding, then <script>parent.push({...})</script> per message.' },
  { technique: 'streaming', name: 'Stream cut mid-body', path: '/stream/cut?after=3000', description: 'A few NDJSON records, then the connection is closed without the terminating chunk.' },
];

export function describeEndpoints(baseUrl: string): PlaygroundEndpoint[] {
  const wsBase = baseUrl.replace(/^http/, 'ws');
  return CATALOGUE.map(({ path, ...rest }) => ({
    ...rest,
    url: (rest.technique === 'websocket' ? wsBase : baseUrl) + path,
  }));
}
