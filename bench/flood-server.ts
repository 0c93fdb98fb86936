// A WebSocket server that sends N identical text messages as fast as the socket
// takes them, from frames encoded once. It runs in its own process and does almost
// no work per message, so the client is what gets measured (the playground's
// ticker stamps every message and would be the bottleneck). Prints its URL; serves
// until stdin closes. Query: count, size; `socketio=1` makes each message a Socket.IO
// event of that size (`42["tick","xx…"]`) after the Engine.IO open and namespace
// CONNECT packets a Socket.IO server sends first.
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'

const CHUNK_BYTES = 1024 * 1024

function encodeFrame(payload: Buffer): Buffer {
  const n = payload.length
  const header = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : Buffer.concat([Buffer.from([0x81, 127, 0, 0, 0, 0]), Buffer.from([n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255])])
  return Buffer.concat([header, payload])
}

/** A Socket.IO EVENT of exactly `size` bytes (at least its own framing). */
function socketIoEvent(size: number): Buffer {
  const head = '42["tick","'
  const tail = '"]'
  return Buffer.from(head + 'x'.repeat(Math.max(0, size - head.length - tail.length)) + tail)
}

function flood(socket: Socket, count: number, size: number, socketIo: boolean): void {
  if (socketIo) {
    socket.write(encodeFrame(Buffer.from('0{"sid":"bench","upgrades":[],"pingInterval":300000,"pingTimeout":200000,"maxPayload":100000000}')))
    socket.write(encodeFrame(Buffer.from('40{"sid":"bench-ns"}')))
  }
  const frame = encodeFrame(socketIo ? socketIoEvent(size) : Buffer.alloc(size, 'x'))
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / frame.length))
  const chunk = Buffer.concat(Array.from({ length: perChunk }, () => frame))
  let sent = 0
  const pump = () => {
    while (sent < count) {
      const n = Math.min(perChunk, count - sent)
      sent += n
      const ok = socket.write(n === perChunk ? chunk : chunk.subarray(0, n * frame.length))
      if (!ok) return void socket.once('drain', pump)
    }
    socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8])) // close 1000
  }
  pump()
}

const server = createServer()
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
server.on('upgrade', (req, socket: Socket, head) => {
  const query = new URL(req.url ?? '/', 'http://x').searchParams
  const count = Math.min(Number(query.get('count') ?? 1000), 100_000_000)
  const size = Math.min(Number(query.get('size') ?? 50), 16 * 1024 * 1024)
  const socketIo = query.get('socketio') === '1'
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.removeAllListeners()
    // What the client sends (a Socket.IO CONNECT, pongs) is read and dropped.
    socket.on('data', () => {})
    flood(socket, count, size, socketIo)
  })
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/\n`)
})
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
