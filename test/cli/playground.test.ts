// `rti playground` and `rti serve`: long-running commands that print where to go,
// run until Ctrl+C, and then close everything and exit 0.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { describeEndpoints } from '../../main/playground/endpoints.js'
import { playgroundEndpointsHelp } from '../../main/cli/playground-help.js'
import { exited, linesOf, ROOT, runRti, spawnRti, waitForOutput } from './run-rti.js'

const children: ReturnType<typeof spawnRti>[] = []
const start = (args: string[]) => {
  const child = spawnRti(args)
  children.push(child)
  return child
}
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('rti playground', () => {
  it('lists every endpoint with its technique and URL, then stops cleanly on Ctrl+C', async () => {
    const child = start(['playground', '--port', '0'])
    const stderr = waitForOutput(child.stderr, (text) => text.includes('Press Ctrl+C to stop.'))
    const stdout = waitForOutput(child.stdout, (text) => /^Realtime Inspector playground on http:\/\/127\.0\.0\.1:\d+\n/.test(text) && linesOf(text).length >= 2 + describeEndpoints('http://x').length)
    const output = await stdout
    await stderr

    const baseUrl = /playground on (http:\/\/\S+)/.exec(output)![1]!
    const lines = linesOf(output)
    expect(lines[1]).toMatch(/^TECHNIQUE\s+URL\s+DESCRIPTION$/)
    for (const endpoint of describeEndpoints(baseUrl)) {
      expect(lines.some((line) => line.startsWith(endpoint.technique) && line.includes(` ${endpoint.url} `))).toBe(true)
    }
    const urlColumn = lines[1]!.indexOf('URL')
    for (const line of lines.slice(2)) expect(line.indexOf(baseUrl.replace('http', ''))).toBeGreaterThanOrEqual(urlColumn)

    child.kill('SIGINT')
    expect(await exited(child)).toEqual({ code: 0, signal: null })
  })

  it('prints the endpoints as one JSON object with --json', async () => {
    const child = start(['playground', '--json'])
    const output = await waitForOutput(child.stdout, (text) => text.endsWith('\n'))
    const { baseUrl, endpoints } = JSON.parse(output) as { baseUrl: string; endpoints: unknown[] }
    expect(endpoints).toEqual(describeEndpoints(baseUrl))

    child.kill('SIGTERM')
    expect(await exited(child)).toEqual({ code: 0, signal: null })
  })

  it('documents every endpoint and its query knobs in --help, from the catalogue itself', async () => {
    const result = await runRti(['playground', '--help'])

    expect(result.code).toBe(0)
    expect(result.stdout).toContain(playgroundEndpointsHelp(80))
    const help = playgroundEndpointsHelp(80)
    const flat = help.replace(/\s+/g, ' ')
    for (const endpoint of describeEndpoints('')) {
      expect(linesOf(help)).toContain(`    ${endpoint.url}`)
      expect(flat).toContain(`${endpoint.name}: ${endpoint.description}`.replace(/\s+/g, ' '))
    }
    expect(linesOf(help).filter((line) => line.length > 80 && !line.startsWith('    /'))).toEqual([])
  })
})

describe('rti serve', () => {
  // `npm test` builds the renderer before the tests run.
  it('prints the tokened URL of the UI and the playground, serves the UI, stops on Ctrl+C', async () => {
    expect(existsSync(join(ROOT, 'out/renderer/index.html')), 'run `npm run build` first').toBe(true)
    const dataDir = await mkdtemp(join(tmpdir(), 'rti-serve-data-'))
    const child = start(['serve', '--port', '0', '--data-dir', dataDir])
    const output = await waitForOutput(child.stdout, (text) => linesOf(text).length >= 3)
    const [first, second, third] = linesOf(output)
    expect(first).toMatch(/^Realtime Inspector \(browser mode\): http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/)
    expect(second).toMatch(/^Playground: http:\/\/127\.0\.0\.1:\d+$/)
    expect(third).toBe(`Saved connections: ${join(dataDir, 'connections')}`)

    const url = first!.slice(first!.indexOf('http'))
    expect((await fetch(url)).status).toBe(200)
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403)

    child.kill('SIGINT')
    expect(await exited(child)).toEqual({ code: 0, signal: null })
    await rm(dataDir, { recursive: true, force: true })
  })
})
