// `rti connect --protocol socket.io` as a user runs it, against the real `socket.io`
// server: the emit and its ack read as the protocol, and --json frames carry
// `decoded` and mark what the inspector sent by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FrameSchema, packetsOf } from '../../main/contract/index.js'
import { linesOf, runRti } from '../cli/run-rti.js'
import { startSocketIoServer, type SocketIoServer } from '../helpers/socket-io-server.js'

let server: SocketIoServer
beforeAll(async () => {
  server = await startSocketIoServer()
})
afterAll(() => server.close())

// Up to the ack: connecting, request, response, open, 0{…}, 40 (out), 40{sid}, the emit, welcome, the ack.
const FRAMES = '10'

describe('rti connect --protocol socket.io', () => {
  it('emits with an ack and prints both as the protocol reads', async () => {
    // Plus the binary emit, its header and two attachments.
    const result = await runRti(['connect', '--protocol', 'socket.io', server.wsUrl, '--emit', 'chat', '--args', '["hi"]', '--ack', '--emit', 'binary', '-n', String(Number(FRAMES) + 4)], { timeoutMs: 20_000 })
    expect(result.code, result.stderr).toBe(0)
    const lines = linesOf(result.stdout)
    expect(lines).toContain('> emit chat ["hi"] (ack #0)')
    expect(lines.some((line) => /^< ack #0 \["ok",\["hi"\]\] \d+ ms$/.test(line))).toBe(true)
    expect(lines.some((line) => line.startsWith('< event welcome'))).toBe(true)
    expect(lines).toContain('< binary event (2 attachment(s) follow)')
    expect(lines).toContain('< attachment 1/2 (3 bytes)')
    expect(lines).toContain(`< event file {"name":"a.bin","data":{"base64":"AQID","size":3}} {"base64":"${Buffer.from('second').toString('base64')}","size":6}`)
  })

  it('--json: frames carry decoded packets, and auto on the CONNECT the inspector sent', async () => {
    const result = await runRti(['connect', '--json', '--protocol', 'socket.io', server.wsUrl, '--emit', 'chat', '--args', '["hi"]', '--ack', '-n', FRAMES], { timeoutMs: 20_000 })
    expect(result.code, result.stderr).toBe(0)
    const frames = linesOf(result.stdout).map((line) => FrameSchema.parse(JSON.parse(line)))
    const messages = frames.filter((f) => f.kind === 'message')
    expect(messages.every((f) => f.decoded !== undefined)).toBe(true)
    const connect = messages.find((f) => f.direction === 'out' && f.data === '40')!
    expect(connect).toMatchObject({ auto: true, decoded: { protocol: 'socket.io', type: 'CONNECT', namespace: '/' } })
    const emit = messages.find((f) => f.direction === 'out' && f.data?.startsWith('42'))!
    expect(emit.auto).toBeUndefined()
    const ack = messages.map((f) => packetsOf(f.decoded)[0]!).find((p) => p.type === 'ACK')!
    expect(ack).toMatchObject({ protocol: 'socket.io', ackId: 0, ackOf: emit.seq })
    expect(typeof ack.rttMs).toBe('number')
  })

  it('answers the server\'s pings with auto pongs', async () => {
    const quick = await startSocketIoServer({ pingInterval: 200, pingTimeout: 1000 })
    try {
      const result = await runRti(['connect', '--json', '--protocol', 'socket.io', quick.wsUrl, '-d', '1.5'], { timeoutMs: 20_000 })
      expect(result.code, result.stderr).toBe(0)
      const frames = linesOf(result.stdout).map((line) => FrameSchema.parse(JSON.parse(line)))
      const pongs = frames.filter((f) => f.kind === 'message' && f.direction === 'out' && f.data === '3')
      expect(pongs.length).toBeGreaterThanOrEqual(3)
      expect(pongs.every((f) => f.kind === 'message' && f.auto === true)).toBe(true)
      expect(frames.filter((f) => f.kind === 'finding' && f.severity !== 'info')).toEqual([])
    } finally {
      await quick.close()
    }
  })

  it('under auto, a plain session to a Socket.IO server is decoded and the CLI hints at --protocol once', async () => {
    const result = await runRti(['connect', `${server.wsUrl}?EIO=4&transport=websocket`, '-n', '5'], { timeoutMs: 20_000 })
    expect(result.code, result.stderr).toBe(0)
    expect(linesOf(result.stdout).some((line) => line.startsWith('< engine.io open sid='))).toBe(true)
    expect(result.stderr.match(/rti: hint: looks like socket\.io: decoding it; add --protocol socket\.io to let rti answer its handshake and heartbeats/g)).toHaveLength(1)
    // Nothing was sent on the user's behalf.
    expect(linesOf(result.stdout).filter((line) => line.startsWith('>'))).toEqual([])
  })
})
