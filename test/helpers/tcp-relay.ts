// A loopback TCP relay that plays a misbehaving middlebox: it forwards bytes to a
// target and, after N ms of silence (mode 'idle') or N ms of connection age (mode
// 'lifetime'), cuts each connection one way — 'fin' (ends both sides cleanly), 'rst'
// (a real TCP reset to the client) or 'blackhole' (stops forwarding both ways and
// keeps both sockets open, like a load balancer that forgot the flow).
//
//   const relay = await startTcpRelay({ target: playground.port, cut: { mode: 'idle', afterMs: 1500, action: 'fin' } })
//   … connect to relay.url (http://127.0.0.1:<port>) or relay.port …
//   relay.cuts  // what it did, when
//   await relay.stop()
import { connect, createServer, type Socket } from 'node:net'

export type RelayCutMode = 'idle' | 'lifetime'
export type RelayCutAction = 'fin' | 'rst' | 'blackhole'

export interface RelayCut {
  /** 'idle': after `afterMs` with no byte either way; 'lifetime': `afterMs` after the client connected. */
  mode: RelayCutMode
  afterMs: number
  action: RelayCutAction
}

export interface RelayOptions {
  /** Where to forward: a port on 127.0.0.1, or host and port. */
  target: number | { host: string; port: number }
  /** Absent: a plain relay that never cuts. */
  cut?: RelayCut
}

export interface RelayCutRecord {
  /** 1 for the first connection the relay accepted, then 2, 3… */
  connection: number
  action: RelayCutAction
  /** When the cut happened (ms since the epoch), the connection's age and idle time then. */
  at: number
  ageMs: number
  idleMs: number
}

export interface TcpRelay {
  readonly port: number
  /** http://127.0.0.1:<port> (use ws:// yourself for WebSockets). */
  readonly url: string
  /** Connections accepted so far. */
  readonly connections: number
  /** Connections open now (a blackholed one counts until the client gives up). */
  readonly open: number
  /** Every cut made, oldest first. */
  readonly cuts: readonly RelayCutRecord[]
  /** Change the behaviour for connections from now on and for those open (their timers restart). */
  setCut(cut: RelayCut | undefined): void
  /** Closes the listener and destroys every connection. */
  stop(): Promise<void>
}

interface Pair {
  number: number
  client: Socket
  upstream: Socket
  startedAt: number
  lastByteAt: number
  timer?: NodeJS.Timeout
  done: boolean
  blackholed: boolean
}

export async function startTcpRelay(options: RelayOptions): Promise<TcpRelay> {
  const target = typeof options.target === 'number' ? { host: '127.0.0.1', port: options.target } : options.target
  let cut = options.cut
  let accepted = 0
  const pairs = new Set<Pair>()
  const cuts: RelayCutRecord[] = []

  const finish = (pair: Pair) => {
    pair.done = true
    clearTimeout(pair.timer)
  }

  const act = (pair: Pair) => {
    if (pair.done || !cut) return
    const now = Date.now()
    cuts.push({ connection: pair.number, action: cut.action, at: now, ageMs: now - pair.startedAt, idleMs: now - pair.lastByteAt })
    finish(pair)
    if (cut.action === 'fin') {
      pair.client.end()
      pair.upstream.end()
    } else if (cut.action === 'rst') {
      pair.client.resetAndDestroy()
      pair.upstream.destroy()
    } else {
      // Bytes keep arriving on both sockets and go nowhere; nobody is told, not even
      // when one side goes away.
      pair.blackholed = true
      pair.client.unpipe()
      pair.upstream.unpipe()
      pair.client.removeAllListeners('data')
      pair.upstream.removeAllListeners('data')
      pair.client.on('data', () => {})
      pair.upstream.on('data', () => {})
    }
  }

  const arm = (pair: Pair) => {
    clearTimeout(pair.timer)
    if (pair.done || !cut) return
    const due = cut.mode === 'idle' ? pair.lastByteAt + cut.afterMs : pair.startedAt + cut.afterMs
    pair.timer = setTimeout(() => act(pair), Math.max(0, due - Date.now()))
  }

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    const now = Date.now()
    const pair: Pair = { number: ++accepted, client, upstream, startedAt: now, lastByteAt: now, done: false, blackholed: false }
    pairs.add(pair)
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => {
        if (pair.done) return
        pair.lastByteAt = Date.now()
        if (cut?.mode === 'idle') arm(pair)
        if (!to.write(chunk)) {
          from.pause()
          to.once('drain', () => from.resume())
        }
      })
      // A side that ends on its own (the origin finished, the client left) ends the other.
      from.on('end', () => {
        if (!pair.done) to.end()
      })
    }
    forward(client, upstream)
    forward(upstream, client)
    const gone = () => {
      finish(pair)
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', gone)
    client.on('close', gone)
    const upstreamGone = () => {
      // After a FIN from the relay the client may still be reading what is buffered.
      if (pair.blackholed || client.writableEnded) upstream.destroy()
      else gone()
    }
    upstream.on('error', upstreamGone)
    upstream.on('close', upstreamGone)
    arm(pair)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as { port: number }).port

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return accepted
    },
    get open() {
      return pairs.size
    },
    cuts,
    setCut(next) {
      cut = next
      for (const pair of pairs) arm(pair)
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) {
          finish(pair)
          pair.client.destroy()
          pair.upstream.destroy()
        }
        pairs.clear()
        server.close(() => resolve())
      }),
  }
}
