// An event-stream server that sends N events as fast as the socket takes them, from
// a block of events encoded once (ids counting up within the block, so clients see
// a changing last event ID as in real streams). It runs in its own process and does
// almost no work per event, so the client is what gets measured. Prints its URL;
// serves until stdin closes. Query: count, size (bytes of data per event).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const BLOCK_BYTES = 1024 * 1024

function encodeBlock(size: number): { block: Buffer; perBlock: number; eventBytes: number } {
  const data = 'x'.repeat(size)
  // Fixed-width ids keep every event the same length, so a block can be cut anywhere on an event boundary.
  const event = (n: number) => `id: ${String(n).padStart(8, '0')}\ndata: ${data}\n\n`
  const eventBytes = Buffer.byteLength(event(0))
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / eventBytes))
  return { block: Buffer.from(Array.from({ length: perBlock }, (_, i) => event(i)).join('')), perBlock, eventBytes }
}

const server = createServer((req, res) => {
  const query = new URL(req.url ?? '/', 'http://x').searchParams
  const count = Math.min(Number(query.get('count') ?? 1000), 100_000_000)
  const size = Math.min(Number(query.get('size') ?? 50), 1024 * 1024)
  const { block, perBlock, eventBytes } = encodeBlock(size)
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
  let sent = 0
  const pump = () => {
    while (sent < count) {
      const n = Math.min(perBlock, count - sent)
      sent += n
      const ok = res.write(n === perBlock ? block : block.subarray(0, n * eventBytes))
      if (!ok) return void res.once('drain', pump)
    }
    res.end()
  }
  pump()
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`)
})
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
