// What the frame list's filter asks for, and the one predicate it compiles to. Pure
// functions: the match index runs the predicate over up to a million frames, so it
// allocates as little as it can per frame and never builds a preview it does not need.
import type { Frame, FrameKind } from '@contract'
import { framePreview } from '../format/frame-format'
import { packetKeyTest } from '../format/packet-format'

export type DirectionFilter = 'both' | 'out' | 'in'

export interface FilterCriteria {
  /** Case-insensitive substring, or a regular expression when `regex` is on. */
  text: string
  regex: boolean
  direction: DirectionFilter
  /** Kinds to show; empty shows every kind. */
  kinds: readonly FrameKind[]
  /** SSE event type to show; '' shows every frame. */
  eventType: string
  /** Only close and error frames: "why did it drop?" at a glance. */
  problemsOnly: boolean
  /** A decoded packet to show (`type:ACK`, `event:chat`, `id:1`, see packet-format.ts); '' shows every frame. */
  packet: string
}

export const NO_FILTER: FilterCriteria = Object.freeze({ text: '', regex: false, direction: 'both', kinds: [], eventType: '', problemsOnly: false, packet: '' })

export interface CompiledFilter {
  /** Undefined when nothing filters, so the list can show the window as it is. */
  test: ((frame: Frame) => boolean) | undefined
  /** Global pattern that finds the text in a preview, for highlighting. */
  highlight: RegExp | undefined
  /** Why the regular expression does not compile; the text criterion is ignored meanwhile. */
  error: string | undefined
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A regex, even for plain text: V8's case-insensitive search beats lower-casing every frame. */
function textPattern(criteria: FilterCriteria): { source: string } | { error: string } | undefined {
  if (criteria.text === '') return undefined
  if (!criteria.regex) return { source: escapeRegExp(criteria.text) }
  try {
    new RegExp(criteria.text, 'i')
    return { source: criteria.text }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

export function compileFilter(criteria: FilterCriteria): CompiledFilter {
  const pattern = textPattern(criteria)
  const error = pattern && 'error' in pattern ? pattern.error : undefined
  const source = pattern && 'source' in pattern ? pattern.source : undefined
  const tests: ((frame: Frame) => boolean)[] = []

  if (criteria.direction !== 'both') {
    const direction = criteria.direction
    tests.push((frame) => frame.direction === direction)
  }
  if (criteria.kinds.length > 0) {
    const kinds = new Set<string>(criteria.kinds)
    tests.push((frame) => kinds.has(frame.kind))
  }
  if (criteria.problemsOnly) tests.push((frame) => frame.kind === 'close' || frame.kind === 'error')
  if (criteria.eventType !== '') {
    const type = criteria.eventType
    tests.push((frame) => frame.kind === 'event' && frame.event === type)
  }
  if (criteria.packet !== '') {
    // One property read rejects every frame no protocol decoded.
    const matches = packetKeyTest(criteria.packet)
    tests.push((frame) => (frame.kind === 'message' || frame.kind === 'event') && frame.decoded !== undefined && matches(frame.decoded))
  }
  if (source !== undefined) {
    const re = new RegExp(source, 'i')
    const test = (text: string) => re.test(text)
    tests.push((frame) => matchesText(frame, test))
  }

  return {
    test: tests.length === 0 ? undefined : tests.length === 1 ? tests[0] : (frame) => tests.every((t) => t(frame)),
    // Empty matches (a regex like `x*`) are skipped when highlighting, so 'g' cannot loop.
    highlight: source === undefined ? undefined : new RegExp(source, 'gi'),
    error,
  }
}

export const isFilterActive = (criteria: FilterCriteria) => compileFilter(criteria).test !== undefined

function matchesHeaders(headers: Record<string, string | string[]>, test: (text: string) => boolean): boolean {
  for (const name in headers) {
    const value = headers[name]!
    if (test(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`)) return true
  }
  return false
}

/**
 * Whether the text occurs in what a person sees of the frame (its preview) or in the
 * parts the preview cuts short. A text payload's preview is that payload on one line,
 * so the full payload alone is searched for the kinds that arrive by the million; a
 * decoded frame's preview (its packets: event name, type, operation id) only when the
 * payload did not match, and only on frames a protocol decoded.
 */
export function matchesText(frame: Frame, test: (text: string) => boolean): boolean {
  switch (frame.kind) {
    case 'message':
      if (frame.decoded !== undefined) return (frame.data !== undefined && test(frame.data)) || test(framePreview(frame))
      return frame.dataBase64 !== undefined ? test(framePreview(frame)) : test(frame.data ?? '')
    case 'chunk':
      return frame.dataBase64 !== undefined ? test(framePreview(frame)) : test(frame.data ?? '')
    case 'event':
      return test(frame.data) || test(frame.event) || test(framePreview(frame))
    case 'request':
      return test(framePreview(frame)) || matchesHeaders(frame.headers, test)
    case 'response':
      return test(framePreview(frame)) || test(String(frame.status)) || matchesHeaders(frame.headers, test)
    case 'close':
      return test(framePreview(frame)) || test(String(frame.code)) || test(frame.reason) || (frame.meaning !== undefined && test(frame.meaning))
    case 'error':
      return test(framePreview(frame)) || test(frame.code) || test(frame.message)
    case 'finding':
      return test(framePreview(frame)) || test(frame.id) || test(frame.summary)
    default:
      return test(framePreview(frame))
  }
}

export interface TextSegment {
  text: string
  match: boolean
}

/** Splits a preview into plain and matching runs, for <mark> in the template (never v-html). */
export function highlightSegments(text: string, pattern: RegExp | undefined): TextSegment[] {
  if (!pattern || text === '') return [{ text, match: false }]
  const out: TextSegment[] = []
  let last = 0
  pattern.lastIndex = 0
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    if (found[0] === '') {
      pattern.lastIndex++
      continue
    }
    if (found.index > last) out.push({ text: text.slice(last, found.index), match: false })
    out.push({ text: found[0], match: true })
    last = found.index + found[0].length
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false })
  return out
}
