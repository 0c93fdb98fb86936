// The bridge's API socket fed random and mutated messages by a caller that holds the
// token: every message shaped as a call (any method name, any argument) is answered
// with a Result under its id, anything else closes that socket with 1003, and the
// engine behind it keeps answering.
import fc from 'fast-check'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { API_METHOD_NAMES } from '../../main/contract/index.js'
import { startBridge, type Bridge } from '../../main/bridge/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { fuzzAsync } from './fuzz.js'

let engine: Engine
let bridge: Bridge
let rendererDir: string
beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'rti-fuzz-bridge-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Realtime Inspector</title>')
  engine = await createEngine()
  bridge = await startBridge({ engine, rendererDir })
})
afterAll(async () => {
  await bridge.close()
  await engine.close()
  await rm(rendererDir, { recursive: true, force: true })
})

interface Client {
  ws: WebSocket
  /** The next message from the bridge, or how the socket closed. */
  next(): Promise<{ message: unknown } | { closed: number }>
}

async function connect(): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, { origin: bridge.origin })
  const queue: ({ message: unknown } | { closed: number })[] = []
  let wake: (() => void) | undefined
  const push = (item: { message: unknown } | { closed: number }) => {
    queue.push(item)
    wake?.()
  }
  ws.on('message', (data) => push({ message: JSON.parse(data.toString()) as unknown }))
  ws.on('close', (code) => push({ closed: code }))
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  return {
    ws,
    async next() {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      return queue.shift()!
    },
  }
}

const method = fc.oneof(fc.constantFrom(...API_METHOD_NAMES), fc.constantFrom('__proto__', 'constructor', 'toString', 'onFrames', 'dispose', ''), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }))
const call = fc.record({ type: fc.constant('call'), id: fc.nat(), method, argument: fc.jsonValue({ maxDepth: 4 }) }, { requiredKeys: ['type', 'id', 'method'] })
const notCall = fc.oneof(
  fc.string({ maxLength: 40 }).map((text) => ({ text })),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => (v as { type?: unknown } | null)?.type !== 'call').map((v) => ({ text: JSON.stringify(v) })),
  fc.record({ type: fc.constant('call'), id: fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.constant(2 ** 60)), method }).filter((v) => !Number.isSafeInteger(v.id)).map((v) => ({ text: JSON.stringify(v) })),
  fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ binary: Buffer.from(bytes) })),
)

describe('the bridge API socket under fuzzing', () => {
  it('answers every call with a Result under its id, closes on anything else, and goes on', { timeout: 60_000 }, async () => {
    let client = await connect()
    try {
      await fuzzAsync(
        'bridge API messages',
        fc.oneof(call.map((c) => ({ call: c })), notCall),
        async (input) => {
          if (client.ws.readyState !== WebSocket.OPEN) client = await connect()
          if ('call' in input) {
            client.ws.send(JSON.stringify(input.call))
            // Frame batches may come between: wait for this call's result.
            for (;;) {
              const got = await client.next()
              expect(got).not.toHaveProperty('closed')
              const message = (got as { message: { type: string; id?: number; result?: { ok: unknown } } }).message
              if (message.type !== 'result') continue
              expect(message.id).toBe(input.call.id)
              expect(typeof message.result?.ok).toBe('boolean')
              break
            }
          } else {
            if ('binary' in input) client.ws.send(input.binary)
            else client.ws.send(input.text)
            const got = await client.next()
            expect(got).toEqual({ closed: 1003 })
          }
        },
        1000,
      )
      if (client.ws.readyState !== WebSocket.OPEN) client = await connect()
      client.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'listSessions' }))
      expect(await client.next()).toMatchObject({ message: { type: 'result', id: 1, result: { ok: true } } })
    } finally {
      client.ws.close()
    }
  })
})
