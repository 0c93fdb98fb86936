// `rti serve` rotates its token when the user types r and Enter: a new URL is printed,
// the old one stops working, the new one opens the app.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exited, linesOf, ROOT, spawnRti, waitForOutput } from '../cli/run-rti.js'

describe('rti serve token rotation', () => {
  it('r + Enter prints a new URL; the old one is refused from then on', async () => {
    expect(existsSync(join(ROOT, 'out/renderer/index.html')), 'run `npm run build` first').toBe(true)
    const dataDir = await mkdtemp(join(tmpdir(), 'rti-serve-rotate-'))
    const child = spawnRti(['serve', '--port', '0', '--no-playground', '--data-dir', dataDir])
    try {
      const first = linesOf(await waitForOutput(child.stdout, (text) => text.includes('Saved connections')))[0]!
      const oldUrl = first.slice(first.indexOf('http'))
      expect((await fetch(oldUrl)).status).toBe(200)
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stdin.write('r\n')
      await expect.poll(() => output, { timeout: 10_000 }).toMatch(/^New URL \(the previous one no longer works\): http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+\n$/)
      const newUrl = output.slice(output.indexOf('http')).trim()
      expect(newUrl).not.toBe(oldUrl)
      expect((await fetch(oldUrl)).status).toBe(403)
      expect((await fetch(newUrl)).status).toBe(200)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited(child)).toEqual({ code: 0, signal: null })
    await rm(dataDir, { recursive: true, force: true })
  })
})
