// Shared by the fuzz tests: how many inputs each property tries (FUZZ_SCALE=10 in the
// environment tries ten times as many, for a long run by hand), and the line each
// test prints with the count, so a CI log shows what was tried.
import fc from 'fast-check'

const SCALE = Math.max(0.1, Number(process.env['FUZZ_SCALE'] ?? 1) || 1)

/** Runs a property `runs` times (scaled) and prints how many inputs it tried. */
export function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, check: (input: T) => void, runs: number): void {
  let tried = 0
  fc.assert(
    fc.property(arbitrary, (input) => {
      tried++
      check(input)
    }),
    { numRuns: Math.round(runs * SCALE) },
  )
  console.log(`fuzz: ${name}: ${tried} inputs`)
}

/** The async form, for parsers that read files. */
export async function fuzzAsync<T>(name: string, arbitrary: fc.Arbitrary<T>, check: (input: T) => Promise<void>, runs: number): Promise<void> {
  let tried = 0
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      tried++
      await check(input)
    }),
    { numRuns: Math.round(runs * SCALE) },
  )
  console.log(`fuzz: ${name}: ${tried} inputs`)
}

/** Cut points for feeding `length` bytes in pieces: sorted, distinct, inside (0, length). */
export const cuts = fc.array(fc.nat(), { maxLength: 12 })

/** `bytes` in pieces at the given cut points (taken modulo its length). */
export function pieces(bytes: Buffer, at: number[]): Buffer[] {
  if (bytes.length < 2) return [bytes]
  const points = [...new Set(at.map((n) => 1 + (n % (bytes.length - 1))))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let start = 0
  for (const point of points) {
    out.push(bytes.subarray(start, point))
    start = point
  }
  out.push(bytes.subarray(start))
  return out
}

/** Bytes that look like the format some of the time: its tokens mixed with random bytes. */
export function tokenBytes(tokens: string[], maxLength = 80): fc.Arbitrary<Buffer> {
  return fc
    .array(fc.oneof(fc.constantFrom(...tokens).map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b)), fc.string({ unit: 'binary', maxLength: 12 }).map((s) => Buffer.from(s))), { maxLength })
    .map((parts) => Buffer.concat(parts))
}
