// `rti … | head`: the reader goes away after a few lines. rti stops quietly, no stack trace.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const RTI = fileURLToPath(new URL('../../bin/rti.mjs', import.meta.url))

it('stops quietly with exit 0 when its output pipe is closed early', async () => {
  const child = spawn(process.execPath, [RTI, 'export', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  // Read one chunk, then close our end, as `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  child.stdout.destroy()
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  expect(stderr).not.toMatch(/EPIPE|Unhandled/)
  expect(code).toBe(0)
})
