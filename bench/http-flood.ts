// The scaffolding shared by the HTTP flood servers: N fixed-width records written as
// fast as the socket takes them, from a block encoded once, so the server does almost
// no work per record and the client is what gets measured. Runs in its own process,
// prints its URL, serves until stdin closes. Query: count, size.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const BLOCK_BYTES = 1024 * 1024

export interface FloodFormat {
  contentType: string
  /** Record number `n` of about `size` bytes; every record must have the same length. */
  record(n: number, size: number): string
  minSize?: number
}

function encodeBlock(format: FloodFormat, size: number): { block: Buffer; perBlock: number; recordBytes: number } {
  const recordBytes = Buffer.byteLength(format.record(0, size))
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / recordBytes))
  return { block: Buffer.from(Array.from({ length: perBlock }, (_, i) => format.record(i, size)).join('')), perBlock, recordBytes }
}

export function serveFlood(format: FloodFormat): void {
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams
    const count = Math.min(Number(query.get('count') ?? 1000), 100_000_000)
    const size = Math.min(Math.max(Number(query.get('size') ?? 50), format.minSize ?? 1), 1024 * 1024)
    const { block, perBlock, recordBytes } = encodeBlock(format, size)
    res.writeHead(200, { 'Content-Type': format.contentType, 'Cache-Control': 'no-cache' })
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
}
