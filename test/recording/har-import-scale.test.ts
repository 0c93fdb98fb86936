// HAR import stays linear in the number of entries: many requests to one URL (a
// polling client's HAR) are grouped without copying the group for each entry, and
// many one-off URLs without searching the kept groups for each. The work is counted
// (array elements stepped through while grouping), not timed; a 100 k-entry import
// must also finish within the test's timeout.
import { describe, expect, it } from 'vitest'
import { harToRecordings } from '../../main/recording/har-import.js'
import type { HarFile } from '../../main/recording/har-schema.js'

function entry(url: string, i: number) {
  return {
    startedDateTime: new Date(1_700_000_000_000 + i * 10).toISOString(),
    time: 5,
    request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 2, mimeType: 'application/json', text: '{}' }, redirectURL: '', headersSize: -1, bodySize: 2 },
    cache: {},
    timings: { send: 0, wait: 5, receive: 0 },
  }
}

function har(urls: string[]): HarFile {
  return { log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: urls.map((url, i) => entry(url, i)) } } as unknown as HarFile
}

/**
 * Runs `work` counting the array elements it steps through: every array iteration
 * (for…of, spread, Array.from) and every element `includes` and `indexOf` may scan.
 * Synchronous work only, and the prototypes are restored at once.
 */
function countSteps<T>(work: () => T): { result: T; steps: number } {
  const proto = Array.prototype as unknown as Record<PropertyKey, unknown>
  const iterate = Array.prototype[Symbol.iterator]
  const includes = Array.prototype.includes
  const indexOf = Array.prototype.indexOf
  let steps = 0
  proto[Symbol.iterator] = function (this: unknown[]) {
    const inner = iterate.call(this)
    return {
      next: () => {
        steps++
        return inner.next()
      },
      [Symbol.iterator]() {
        return this
      },
    }
  }
  proto['includes'] = function (this: unknown[], ...args: [unknown, number?]) {
    steps += this.length
    return includes.apply(this, args)
  }
  proto['indexOf'] = function (this: unknown[], ...args: [unknown, number?]) {
    steps += this.length
    return indexOf.apply(this, args)
  }
  try {
    return { result: work(), steps }
  } finally {
    proto[Symbol.iterator] = iterate
    proto['includes'] = includes
    proto['indexOf'] = indexOf
  }
}

const N = 5000
/** Linear: a few passes over the entries. Copying each group per entry would be ~N²/2 = 12.5 M. */
const BUDGET = 20 * N

describe('HAR import grouping is linear', () => {
  it(`${N} entries sharing a URL: one polling recording, grouped in under ${BUDGET} steps`, () => {
    const urls = Array.from({ length: N }, (_, i) => `https://api.example/poll?cursor=${i}`)
    const { result, steps } = countSteps(() => harToRecordings(har(urls)))
    expect(result.recordings).toHaveLength(1)
    expect(result.skippedEntries).toBe(0)
    console.log(`grouping stepped through ${steps} array elements for ${N} entries`)
    expect(steps).toBeLessThan(BUDGET)
    expect([...result.recordings[0]!.frames()].filter((f) => f.kind === 'request')).toHaveLength(N)
  })

  it(`${N} one-off URLs: one recording each, grouped in under ${BUDGET} steps`, () => {
    const urls = Array.from({ length: N }, (_, i) => `https://api.example/item/${i}`)
    const { result, steps } = countSteps(() => harToRecordings(har(urls)))
    expect(result.recordings).toHaveLength(N)
    expect(result.skippedEntries).toBe(0)
    console.log(`grouping stepped through ${steps} array elements for ${N} entries`)
    expect(steps).toBeLessThan(BUDGET)
  })

  it(`two polled URLs among ${N} one-off ones: the one-offs are counted as skipped, in under ${BUDGET} steps`, () => {
    const urls = Array.from({ length: N }, (_, i) => (i % 10 === 0 ? `https://api.example/a?i=${i}` : i % 10 === 1 ? `https://api.example/b?i=${i}` : `https://api.example/item/${i}`))
    const { result, steps } = countSteps(() => harToRecordings(har(urls)))
    expect(result.recordings).toHaveLength(2)
    expect(result.skippedEntries).toBe(N - N / 5)
    console.log(`grouping stepped through ${steps} array elements for ${N} entries`)
    expect(steps).toBeLessThan(BUDGET)
  })

  it('100 k entries sharing a URL import, frames and all, within the test timeout (about a minute before the fix)', { timeout: 60_000 }, () => {
    const urls = Array.from({ length: 100_000 }, (_, i) => `https://api.example/poll?cursor=${i}`)
    const { recordings } = harToRecordings(har(urls))
    let requests = 0
    for (const frame of recordings[0]!.frames()) if (frame.kind === 'request') requests++
    expect(requests).toBe(100_000)
  })
})
