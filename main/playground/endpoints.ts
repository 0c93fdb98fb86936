/** The catalogue shown at `/` and handed to the app for its ready-made connections. */

export type PlaygroundTechnique = 'websocket' | 'sse' | 'long-polling' | 'polling' | 'streaming';

/** The protocol an endpoint speaks on top of its technique, where it speaks one. */
export type PlaygroundProtocol = 'socket.io' | 'graphql-transport-ws' | 'graphql-sse';

/** How a client follows the feed's cursor: without it every answer comes at once (cursor=0 again). */
export interface PlaygroundLongPoll {
  cursor: { from: 'json'; name: string; param: string };
  messagesPath: string;
}

export interface PlaygroundEndpoint {
  technique: PlaygroundTechnique;
  name: string;
  url: string;
  description: string;
  protocol?: PlaygroundProtocol;
  longPolling?: PlaygroundLongPoll;
}

interface Entry {
  technique: PlaygroundTechnique;
  name: string;
  path: string;
  description: string;
  protocol?: PlaygroundProtocol;
  longPolling?: PlaygroundLongPoll;
}

/** The long-poll feed answers {cursor, messages}: ask from the cursor of the previous answer. */
const FEED_CURSOR: PlaygroundLongPoll = { cursor: { from: 'json', name: 'cursor', param: 'cursor' }, messagesPath: 'messages' };

const SOCKET_IO_EVENTS =
  '`welcome` on connect, `tick` {n, sentAt} every second, `bin` with a binary attachment every 5 s; `chat` is echoed back and acknowledged with ["ok", {receivedAt}], `get-bin` answers with an attachment, `kick` disconnects from the server side, any other event with an ack gets ["ok", {event}]. Namespace /admin needs the auth {"token":"secret"} (otherwise CONNECT_ERROR "invalid token").';
const GRAPHQL_SCHEMA =
  'Schema: query { hello }; subscriptions ticks(count: Int = 5, intervalMs: Int = 1000) { n sentAt } (completes after count; count 1-1000, intervalMs 100-60000), greetings (five words, then complete), failing(after: Int = 2) { n } (after ticks, a result with an error, then complete).';

// The first entry of each technique is the one a first run connects to.
const CATALOGUE: readonly Entry[] = [
  { technique: 'websocket', name: 'WebSocket ticker', path: '/ws/ticker?interval=1000', description: 'A stamped JSON message every interval ms. Query: interval (0 = as fast as the client reads, needs count), count (then closes 1000), size (pads each message to about this many bytes, max 1 MiB), rate (messages per second instead of interval, 1-100000, sent in bursts every 10 ms; send the text rate=N to change it live, rate=0 pauses).' },
  { technique: 'websocket', name: 'WebSocket echo', path: '/ws/echo', description: 'Echoes every text and binary message back unchanged. Accepts any subprotocol (the first offered).' },
  { technique: 'websocket', name: 'WebSocket handshake headers', path: '/ws/headers', description: 'Sends one message on open: the handshake request headers the server received and the selected subprotocol.' },
  { technique: 'websocket', name: 'WebSocket close with code', path: '/ws/close?code=4000&reason=bye&after=3000', description: 'Sends a close frame with code and reason after `after` ms.' },
  { technique: 'websocket', name: 'WebSocket dropped (FIN, no close frame)', path: '/ws/drop?after=3000', description: 'Ends the TCP connection without a close frame after `after` ms; clients see 1006.' },
  { technique: 'websocket', name: 'WebSocket reset (TCP RST)', path: '/ws/reset?after=3000', description: 'Resets the TCP connection after `after` ms; clients see ECONNRESET.' },
  { technique: 'websocket', name: 'WebSocket handshake rejected', path: '/ws/reject?status=403', description: 'Answers the upgrade with a plain HTTP response of the given status, a text body and X-Playground-Reason: rejected.' },
  { technique: 'websocket', name: 'Socket.IO chat', path: '/socket.io/', protocol: 'socket.io', description: `A real Socket.IO 4 server (the socket.io package; Engine.IO 4, and 3 with allowEIO3). ${SOCKET_IO_EVENTS}` },
  { technique: 'websocket', name: 'GraphQL subscription (graphql-ws)', path: '/graphql', protocol: 'graphql-transport-ws', description: `The graphql-ws server (subprotocol graphql-transport-ws). ${GRAPHQL_SCHEMA} A connection_init payload with a token other than "secret" is refused with 4403.` },
  { technique: 'sse', name: 'SSE ticker', path: '/sse/ticker?interval=1000', description: 'Events with ids, alternating `tick` and unnamed, a heartbeat comment every 3 events, retry: 2000. Honours Last-Event-ID (count continues; after count, reconnects get 204). Query: interval, count, size (pad data), event (names to cycle, comma-separated; empty = unnamed), ids=0, retry (ms or none), lines (data lines per event), heartbeat (comment every ms; 0 = none), silence (ms before the first event), fin=N / reset=N (FIN mid-body / TCP RST after N events), type (Content-Type), status (e.g. 204, 500), headerDelay (ms), gzip=1, split=crlf|utf8|byte (+ gap ms), eol=lf|cr|crlf, echo=1 (received Last-Event-ID in the data), redirect=N (+ redirectStatus).' },
  { technique: 'sse', name: 'SSE cut mid-body (FIN)', path: '/sse/ticker?interval=500&fin=5', description: 'Five events, then the connection is closed without the terminating chunk, as an idle timeout in a proxy does; clients reconnect with Last-Event-ID.' },
  { technique: 'sse', name: 'SSE with the wrong Content-Type', path: '/sse/ticker?interval=500&type=text/plain', description: 'A valid event stream served as text/plain: an EventSource fails the connection and does not reconnect.' },
  { technique: 'sse', name: 'SSE, awkward bytes', path: '/sse/ticker?interval=500&eol=crlf&split=crlf&lines=3', description: 'CRLF line ends with every CRLF split across two writes, three data lines per event; try split=utf8, split=byte, eol=cr.' },
  { technique: 'sse', name: 'SSE raw bytes', path: '/sse/raw?b64=ZGF0YTogaGVsbG8NDWlkOiAxDQ0%3D&splits=13', description: 'Exactly the bytes in b64 (base64), written in pieces cut at the `splits` offsets with `gap` ms (default 10) between them; end=end|fin|reset|open, type=. For comparing clients byte for byte.' },
  { technique: 'sse', name: 'GraphQL over SSE', path: '/graphql/stream', protocol: 'graphql-sse', description: 'The graphql-sse server, both modes: POST an operation and read its own event stream (distinct connections), or PUT a reservation, GET the stream with its token and POST operations to it (single connection). The schema of /graphql.' },
  { technique: 'long-polling', name: 'Long-poll feed', path: '/longpoll?cursor=0&hold=10000', longPolling: FEED_CURSOR, description: 'Holds until a message after cursor exists or hold ms pass (then the same cursor, no messages). Answers {cursor, sentAt, messages}; the next cursor is also in X-Cursor. Query: every (ms between batches while clients wait, default 1000), batch (messages per batch, 1-100), size (pads each message to about this many bytes), cursorIn (header, json or both), shape=array (a bare JSON array, cursor in X-Cursor), delayHeaders (ms until the head goes out, ahead of the body if that comes later). Faults, when the hold ends: status (4xx/5xx gateway page, e.g. 502, 504), fin=1 (close without an answer), reset=1 (TCP RST); on every request, or only after failAfter answers (for failFor of them) or every failEvery-th; counted per client= (default: per knob set).' },
  { technique: 'long-polling', name: 'Long-poll behind a gateway timing out', path: '/longpoll?cursor=0&hold=3000&status=504&failEvery=3', longPolling: FEED_CURSOR, description: 'The long-poll feed, but every third request is answered 504 by a gateway (Server: playground-gateway, nginx-like HTML page) when the hold ends.' },
  { technique: 'long-polling', name: 'Socket.IO over polling', path: '/socket.io/', protocol: 'socket.io', description: 'The Socket.IO server from Engine.IO long-polling (the sid carried, sends by POST), upgrading to WebSocket as socket.io-client does; the events of Socket.IO chat.' },
  { technique: 'polling', name: 'Polled counter', path: '/poll', description: 'A counter that changes every 2 s, with ETag and Last-Modified and Cache-Control: no-cache; conditional requests get 304. Query: every (ms between changes), etag=0 / lastModified=0 (leave the validator out), cacheControl (the header, empty for none), age (adds Age and X-Cache: HIT, as if a cache answered), status (answer this status instead), size (pads the body to about this many bytes).' },
  { technique: 'polling', name: 'Polled counter from a cache', path: '/poll?etag=0&lastModified=0&cacheControl=&age=30', description: 'The counter without validators, with Age: 30 and X-Cache: HIT: every poll gets a 200, identical bodies until the counter changes.' },
  { technique: 'streaming', name: 'NDJSON stream', path: '/stream?format=ndjson&interval=1000', description: 'One long chunked response, one stamped JSON object per line (read with framing ndjson). Query: interval (ms between records), count (then the body ends properly), size (pad records to about this many bytes), silence (ms before the first record), headerDelay (ms before the headers), gzip=1, split=byte|utf8|delimiter (cut writes one byte each, inside UTF-8 characters, or inside the delimiter / </script>), fin=N or reset=N (FIN without the terminating chunk, or TCP RST, after N records), length=1 (Content-Length instead of chunked; needs count; with fin it is cut short), status (200-599; non-2xx answers a short text body), type (Content-Type).' },
  { technique: 'streaming', name: 'Delimited stream', path: '/stream?format=delimiter&interval=1000', description: 'Records each followed by \\x1e (read with framing delimiter, delimiter \\x1e), or by the `delimiter` query parameter (1-16 bytes). Takes the knobs of the NDJSON stream.' },
  { technique: 'streaming', name: 'Hidden-iframe script stream', path: '/stream?format=script&interval=1000', description: 'An HTML document with 2 KB of padding, then <script>parent.push({...})</script> per message (read with framing script). Takes the knobs of the NDJSON stream; split=delimiter cuts inside </script>.' },
  { technique: 'streaming', name: 'Stream with awkward splits, gzipped', path: '/stream?format=ndjson&interval=1000&gzip=1&split=utf8', description: 'NDJSON records with non-ASCII text, gzip-encoded and flushed per write, each record written in pieces cut inside its multi-byte characters.' },
  { technique: 'streaming', name: 'Stream reset (TCP RST)', path: '/stream?format=ndjson&interval=500&reset=5', description: 'Five NDJSON records, then the connection is reset when the sixth is due.' },
  { technique: 'streaming', name: 'Stream cut mid-body', path: '/stream/cut?after=3000', description: 'A few NDJSON records, then the connection is closed without the terminating chunk (like /stream?fin=N).' },
];

export function describeEndpoints(baseUrl: string): PlaygroundEndpoint[] {
  const wsBase = baseUrl.replace(/^http/, 'ws');
  return CATALOGUE.map(({ path, ...rest }) => ({
    ...rest,
    url: (rest.technique === 'websocket' ? wsBase : baseUrl) + path,
  }));
}
