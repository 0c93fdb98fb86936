// Recordings keep the protocol's packets: a Socket.IO session recorded by the engine
// has `decoded` on its frames in the file (the events decoded as they are written,
// though a live session decodes them only where they leave the engine), and a
// recording made before protocols were decoded is decoded when it is opened.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packetsOf, type Frame, type FrameBatch, type InspectorApi, type ProtocolChoice } from '../../main/contract/index.js'
import { createEngine, type Engine } from '../../main/engine.js'
import { openRecording } from '../../main/recording/read-recording.js'
import { startSocketIoServer, type SocketIoServer } from '../helpers/socket-io-server.js'

let dataDir: string
let engine: Engine
let api: InspectorApi & { dispose(): void }
let server: SocketIoServer

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rti-protocol-recording-'))
  engine = await createEngine({ dataDir })
  api = engine.createClient('bridge')
  server = await startSocketIoServer()
  // A burst of events: most of them never leave the engine one by one.
  server.io.on('connection', (socket) => socket.on('burst', (count: number) => {
    for (let n = 1; n <= count; n++) socket.emit('tick', { n })
  }))
})

afterAll(async () => {
  api?.dispose()
  await engine?.close()
  await server?.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** Frames of a session through the API, until `done` says so. */
async function watch(sessionId: string, done: (frames: Frame[]) => boolean, ms = 10_000): Promise<Frame[]> {
  const frames: Frame[] = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not within ${ms} ms; saw ${frames.length} frames`)), ms)
    api.onFrames((batch: FrameBatch) => {
      if (batch.sessionId !== sessionId) return
      frames.push(...batch.frames)
      if (done(frames)) {
        clearTimeout(timer)
        resolve(frames)
      }
    })
    void api.subscribe({ sessionId, maxFramesPerBatch: 100_000 })
  })
}

const ticks = (frames: Frame[]) => frames.filter((f) => f.kind === 'message' && packetsOf(f.decoded).some((p) => p.type === 'EVENT' && p.event === 'tick'))

/** Records a session that asks for 300 ticks and closes once they came; answers the recording's file and the live frames. */
async function recordBurst(protocol: ProtocolChoice): Promise<{ path: string; live: Frame[] }> {
  // Undriven, the URL must carry what the driver would add.
  const url = protocol === 'socket.io' ? server.wsUrl : `${server.wsUrl}?EIO=4&transport=websocket`
  const opened = await api.openSession({ technique: 'websocket', url, protocol: { name: protocol } })
  if (!opened.ok) throw new Error(opened.error.message)
  const id = opened.value.id
  const session = engine.sessions.get(id)!
  const received = watch(id, (frames) => frames.filter((f) => f.kind === 'message' && f.direction === 'in' && (f.data ?? '').startsWith('42["tick"')).length >= 300)
  if (protocol === 'socket.io') {
    session.send({ type: 'emit', event: 'burst', args: '[300]', ack: false })
  } else {
    // Undriven, the namespace is connected by hand.
    await watch(id, (frames) => frames.some((f) => f.kind === 'open'))
    session.send({ type: 'text', data: '40' })
    await watch(id, (frames) => frames.some((f) => f.kind === 'message' && (f.data ?? '').startsWith('40{')))
    session.send({ type: 'text', data: '42["burst",300]' })
  }
  const live = await received
  session.close()
  await session.ended
  await session.recordingClosed()
  return { path: session.info().recording!.path, live }
}

async function framesOf(path: string): Promise<Frame[]> {
  const reader = await openRecording(path)
  const frames: Frame[] = []
  for await (const frame of reader.frames) frames.push(frame)
  return frames
}

describe('recordings of protocol sessions', () => {
  it('keep every packet in the file, as the live frames showed them', async () => {
    const { path, live } = await recordBurst('socket.io')
    expect(ticks(live)).toHaveLength(300)
    const recorded = await framesOf(path)
    const recordedTicks = ticks(recorded)
    expect(recordedTicks).toHaveLength(300)
    expect(packetsOf((recordedTicks[41] as Extract<Frame, { kind: 'message' }>).decoded)[0]).toEqual({ protocol: 'socket.io', type: 'EVENT', namespace: '/', event: 'tick', args: [{ n: 42 }] })
    // The frames the protocol sent by itself are marked in the file too.
    expect(recorded.find((f) => f.kind === 'message' && f.direction === 'out' && f.data === '40')).toMatchObject({ auto: true, decoded: { type: 'CONNECT' } })
  }, 20_000)

  it('made before protocols were decoded, are decoded when opened', async () => {
    const { path: undecoded, live } = await recordBurst('none')
    expect(live.some((f) => (f.kind === 'message' || f.kind === 'event') && f.decoded !== undefined)).toBe(false)
    expect((await framesOf(undecoded)).some((f) => f.kind === 'message' && f.decoded !== undefined)).toBe(false)
    // An older recording's spec has no protocol at all (then it is `auto`); `none` is kept as chosen.
    const [header, ...lines] = (await readFile(undecoded, 'utf8')).split('\n')
    const parsed = JSON.parse(header!) as { spec: { protocol?: unknown } }
    delete parsed.spec.protocol
    const path = join(dirname(undecoded), 'older.rti.jsonl')
    await writeFile(path, [JSON.stringify(parsed), ...lines].join('\n'))
    const opened = await api.openPlayback({ name: basename(path) })
    if (!opened.ok) throw new Error(opened.error.message)
    const played = await watch(opened.value.id, (frames) => ticks(frames).length >= 300)
    expect(ticks(played)).toHaveLength(300)
    const open = played.find((f) => f.kind === 'message' && packetsOf(f.decoded)[0]?.type === 'open')
    expect(open).toMatchObject({ decoded: { protocol: 'engine.io', type: 'open' } })
    // Decoding annotates: the recorded payload is still there, unchanged.
    expect(ticks(played)[0]).toMatchObject({ data: '42["tick",{"n":1}]' })
  }, 20_000)
})
