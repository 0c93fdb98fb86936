// `rti connect` as a script sees it: the real bin, a real playground, real exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FrameSchema, type Frame } from '../../main/contract/index.js'
import { startPlayground, type Playground } from '../../main/playground/index.js'
import { exited, linesOf, runRti, spawnRti, waitForOutput } from './run-rti.js'
import { freePort } from '../helpers/free-port.js'

let playground: Playground
let ws: string

beforeAll(async () => {
  playground = await startPlayground()
  ws = playground.baseUrl.replace(/^http/, 'ws')
})
afterAll(() => playground?.close())

/** Every stdout line must be a contract frame; anything else on stdout breaks scripts. */
function framesOf(stdout: string): Frame[] {
  return linesOf(stdout).map((line) => FrameSchema.parse(JSON.parse(line)))
}


describe('rti connect --json', () => {
  it('prints exactly the frames of the session, one contract frame per line, and exits 0 at --max-frames', async () => {
    const result = await runRti(['connect', `${ws}/ws/echo`, '--json', '--send', 'hello', '--max-frames', '6'])

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const frames = framesOf(result.stdout)
    expect(frames.map((f) => f.kind)).toEqual(['connecting', 'request', 'response', 'open', 'message', 'message'])
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(frames[4]).toMatchObject({ direction: 'out', data: 'hello', size: 5 })
    expect(frames[5]).toMatchObject({ direction: 'in', data: 'hello', size: 5 })
    expect(frames[2]).toMatchObject({ kind: 'response', status: 101 })
  })

  it('sends each line piped on stdin, after the --send messages', async () => {
    const result = await runRti(['connect', `${ws}/ws/echo`, '--json', '--send', 'first', '--max-frames', '10'], { input: 'one\ntwo\n' })

    expect(result.code).toBe(0)
    const messages = framesOf(result.stdout).filter((f) => f.kind === 'message')
    expect(messages.filter((m) => m.direction === 'out').map((m) => m.data)).toEqual(['first', 'one', 'two'])
    expect(messages.filter((m) => m.direction === 'in').map((m) => m.data)).toEqual(['first', 'one', 'two'])
  })

  it('keeps the connection open after stdin ends, until --duration, then closes politely', async () => {
    const started = Date.now()
    const result = await runRti(['connect', `${ws}/ws/ticker?interval=50`, '--json', '--duration', '0.6'])

    expect(result.code).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(600)
    const frames = framesOf(result.stdout)
    expect(frames.filter((f) => f.kind === 'message' && f.direction === 'in').length).toBeGreaterThan(3)
    expect(frames.at(-1)).toMatchObject({ kind: 'close', code: 1000, cause: 'local' })
    const seqs = frames.map((f) => f.seq)
    expect(seqs[0]).toBe(1)
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!)
  })

  it('closes politely on Ctrl+C, prints the close, and exits 0', async () => {
    const child = spawnRti(['connect', `${ws}/ws/ticker?interval=50`, '--json'])
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    await waitForOutput(child.stdout, (text) => text.includes('"kind":"message"'))
    child.kill('SIGINT')

    expect(await exited(child)).toEqual({ code: 0, signal: null })
    expect(framesOf(stdout).at(-1)).toMatchObject({ kind: 'close', code: 1000, cause: 'local' })
  })

  it('prints a close frame with any code as a normal end (exit 0)', async () => {
    const result = await runRti(['connect', `${ws}/ws/close?code=4000&reason=bye&after=50`, '--json'])

    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(framesOf(result.stdout).at(-1)).toMatchObject({ kind: 'close', code: 4000, reason: 'bye', cause: 'remote-close' })
  })

  it.each([
    ['drop', 'fin', 'abnormal-close'],
    ['reset', 'reset', 'connection-reset'],
  ])('exits 3 with one stderr line when the connection drops without a close frame (%s), and says what it means', async (path, cause, finding) => {
    const result = await runRti(['connect', `${ws}/ws/${path}?after=50`, '--json'])

    expect(result.code).toBe(3)
    const frames = framesOf(result.stdout)
    expect(frames.findLast((f) => f.kind !== 'finding')).toMatchObject({ kind: 'close', code: 1006, cause })
    expect(frames.at(-1)).toMatchObject({ kind: 'finding', id: finding })
    expect(linesOf(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(/^rti: the connection dropped without a close frame \(1006/)
  })

  it('exits 1 with one line saying the connection was refused', async () => {
    const port = await freePort()
    const result = await runRti(['connect', `ws://127.0.0.1:${port}/`, '--json'])

    expect(result.code).toBe(1)
    expect(linesOf(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(/^rti: cannot connect to .*refused.*\(E_CONNECT_REFUSED\)\n$/)
    expect(framesOf(result.stdout).at(-1)).toMatchObject({ kind: 'error', code: 'E_CONNECT_REFUSED' })
  })

  it('exits 1 when the server refuses the handshake, keeping its answer as evidence', async () => {
    const result = await runRti(['connect', `${ws}/ws/reject?status=403`, '--json'])

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^rti: cannot connect to .*403 Forbidden.*\(E_HANDSHAKE\)\n$/)
    const frames = framesOf(result.stdout)
    expect(frames.find((f) => f.kind === 'response')).toMatchObject({ status: 403 })
  })
})

describe('rti connect for people', () => {
  it('shows wscat-style lines: > sent, < received, system frames in words', async () => {
    const result = await runRti(['connect', `${ws}/ws/echo`, '--send', 'hello', '--max-frames', '6', '--subprotocol', 'chat'])

    expect(result.code).toBe(0)
    const lines = linesOf(result.stdout)
    expect(lines).toContain('> hello')
    expect(lines).toContain('< hello')
    expect(lines).toContain('● open protocol=chat')
    expect(lines[0]).toBe(`● connecting ${ws}/ws/echo`)
    expect(lines[2]).toMatch(/^← 101 Switching Protocols {2}HTTP\/1\.1/)
    expect(result.stdout).not.toContain('\u001b[')
  })

  it('explains a close with its code, meaning, reason and cause', async () => {
    const result = await runRti(['connect', `${ws}/ws/close?code=1000&reason=bye&after=50`])

    expect(result.code).toBe(0)
    expect(linesOf(result.stdout).at(-1)).toBe('✕ close 1000 (normal closure) "bye" cause=remote-close')
  })
})

describe('rti connect usage errors (exit 2, one line)', () => {
  it.each([
    [['connect', 'htp://x'], /^rti: "htp:\/\/x" is not a valid URL for websocket \(needs ws:\/\/ or wss:\/\/\)$/],
    [['connect', 'http://127.0.0.1:1/ws'], /^rti: "http:\/\/127\.0\.0\.1:1\/ws" needs a technique: add -t sse\|long-polling\|polling\|streaming \(or connect to "ws:\/\/127\.0\.0\.1:1\/ws" for a WebSocket\)$/],
    [['connect', 'ws://127.0.0.1:1', '-t', 'sse'], /did you mean "http:\/\/127\.0\.0\.1:1"\?/],
    [['connect', 'ws://127.0.0.1:1', '--frobnicate'], /^rti: unknown option '--frobnicate' — see "rti connect --help"$/],
    [['connect', 'ws://127.0.0.1:1', '--header', 'no colon'], /^rti: --header "no colon" is not of the form "Name: value"$/],
    [['connect', 'ws://127.0.0.1:1', '--header', 'Bad Name: x'], /^rti: --header "Bad Name: x": not a valid header name$/],
    [['connect', 'ws://127.0.0.1:1', '--max-frames', 'many'], /^rti: option .*--max-frames.* is invalid/],
    [['connect', 'ws://127.0.0.1:1', '--technique', 'carrier-pigeon'], /Allowed choices are websocket, sse/],
    [['connect'], /^rti: missing required argument 'url'/],
    [['conect', 'ws://127.0.0.1:1'], /^rti: unknown command 'conect' \(did you mean connect\?\)/],
  ])('rti %j', async (args, message) => {
    const result = await runRti(args)

    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(linesOf(result.stderr)).toHaveLength(1)
    expect(result.stderr.trimEnd()).toMatch(message)
  })
})
