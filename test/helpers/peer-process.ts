// Runs a third-party peer (Squid, tinyproxy, Dante) in its own process group, waits
// until it accepts connections, and kills the whole group when stopped, so a test
// leaves nothing running even when the peer forks.
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'

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
