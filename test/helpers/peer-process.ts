// Runs a third-party peer (nginx, HAProxy, Squid, tinyproxy, Dante) in its own process group, waits
// until it accepts connections, and kills the whole group when stopped, so a test
// leaves nothing running even when the peer forks.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'

export interface PeerProcess {
  readonly port: number
  /** What the peer printed so far (bounded). */
  output(): string
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) killGroup(child)
})

export async function startPeerProcess(name: string, command: string, args: string[], port: number, readyTimeoutMs = 15_000): Promise<PeerProcess> {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let output = ''
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000))
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    killGroup(child)
    if (child.exitCode === null && child.signalCode === null) await exited
    running.delete(child)
  }
  const deadline = Date.now() + readyTimeoutMs
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${output}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${name} did not listen on ${port} within ${readyTimeoutMs} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { port, output: () => output, stop }
}

/**
 * startPeerProcess for a peer whose config, logs and state live in `dir`, a temp
 * folder of its own: the folder goes when the peer stops or fails to start. A peer
 * that logs to a file there rather than to its output names it as `failureLog`, so
 * a failed start still says why.
 */
export async function startPeerInDir(dir: string, name: string, command: string, args: string[], port: number, failureLog?: string): Promise<PeerProcess> {
  const remove = () => rmSync(dir, { recursive: true, force: true })
  const peer = await startPeerProcess(name, command, args, port).catch((error: Error) => {
    const log = failureLog === undefined ? undefined : readOr(join(dir, failureLog))
    remove()
    throw log === undefined ? error : new Error(`${error.message}\n${log}`)
  })
  return {
    port,
    output: () => peer.output(),
    stop: async () => {
      await peer.stop()
      remove()
    },
  }
}

/** A peer's file as it is now; '' while the peer has not written it yet. */
export function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** SIGKILL to the whole group, also when the leader is gone but children it forked live on. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // ESRCH: the group is already gone.
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
