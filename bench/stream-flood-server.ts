// An HTTP streaming server that sends N newline-delimited JSON records as fast as
// the socket takes them, in a chunked body, from a block of records encoded once.
// It runs in its own process and does almost no work per record, so the client is
// what gets measured. Prints its URL; serves until stdin closes.
// Query: count, size (bytes per record, newline included).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const BLOCK_BYTES = 1024 * 1024

function encodeBlock(size: number): { block: Buffer; perBlock: number } {
  // `{"seq":NNNNNNNN,"pad":"xx…"}\n`: fixed width, so a block ends on a record boundary.
  const head = '{"seq":00000000,"pad":"'
  const record = (n: number) => `{"seq":${String(n).padStart(8, '0')},"pad":"${'x'.repeat(Math.max(0, size - head.length - 3))}"}\n`
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / Buffer.byteLength(record(0))))
  return { block: Buffer.from(Array.from({ length: perBlock }, (_, i) => record(i)).join('')), perBlock }
}

const server = createServer((req, res) => {
  const query = new URL(req.url ?? '/', 'http://x').searchParams
  const count = Math.min(Number(query.get('count') ?? 1000), 100_000_000)
  const size = Math.min(Math.max(Number(query.get('size') ?? 50), 32), 1024 * 1024)
  const { block, perBlock } = encodeBlock(size)
  const recordBytes = block.length / perBlock
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' })
  let sent = 0
  const pump = () => {
    while (sent < count) {
      const n = Math.min(perBlock, count - sent)
      sent += n
      const ok = res.write(n === perBlock ? block : block.subarray(0, n * recordBytes))
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
