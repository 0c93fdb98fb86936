// Runs the real `rti` bin as a child process, the way a user or a script does.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/rti.mjs', import.meta.url))

export interface RtiResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** No colours and no terminal: what a script piping rti's output sees. */
const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }

export function spawnRti(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: ENV, stdio: 'pipe' })
}

/** Runs to the end; `input` is written to stdin (which is then closed), else stdin is closed at once. */
export function runRti(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RtiResult> {
  const child = spawnRti(args)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.stdin.end(options.input ?? '')
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`rti ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, options.timeoutMs ?? 15_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** Resolves with everything printed so far once `done(output)` holds. */
export function waitForOutput(stream: NodeJS.ReadableStream, done: (output: string) => boolean, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`timed out waiting for output; got: ${output}`)), timeoutMs)
    const onData = (chunk: Buffer | string) => {
      output += chunk.toString()
      if (done(output)) {
        clearTimeout(timer)
        stream.off('data', onData)
        resolve(output)
      }
    }
    stream.on('data', onData)
  })
}

export function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

export const linesOf = (text: string): string[] => text.split('\n').filter((line) => line.length > 0)
