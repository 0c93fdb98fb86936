// Starts the Python `websockets` peer (Debian's python3-websockets) and stops it.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface PythonPeer {
  url(path: string): string
  stop(): Promise<void>
}

// Debian's interpreter, not a pyenv one on PATH that lacks the package.
const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('../peers/python-ws-server.py', import.meta.url))

export async function startPythonPeer(): Promise<PythonPeer> {
  const child: ChildProcess = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`python peer did not start: ${stderr}`)), 10_000)
    child.once('exit', (code) => reject(new Error(`python peer exited ${code}: ${stderr}`)))
    child.stdout!.once('data', (d: Buffer) => {
      clearTimeout(timer)
      resolve(Number(d.toString().trim()))
    })
  })
  return {
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.stdin!.end()
        setTimeout(() => child.kill('SIGKILL'), 2000).unref()
      }),
  }
}
