// An event stream of N events for the SSE bench (see http-flood.ts). Ids count up
// within a block, so clients see a changing last event ID as in real streams; `size`
// is the bytes of data per event.
import { serveFlood } from './http-flood.js'

serveFlood({
  contentType: 'text/event-stream',
  // Fixed-width ids keep every event the same length, so a block can be cut on an event boundary.
  record: (n, size) => `id: ${String(n).padStart(8, '0')}\ndata: ${'x'.repeat(size)}\n\n`,
})
