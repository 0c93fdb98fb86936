// The words of the diagnostics panel for severities, confidences, techniques and probe
// states. Durations read as everywhere else: formatMs from the contract.
import type { Confidence, ProbeCheck, Severity, TechniqueName, TechniqueMatrixRow } from '@contract'

export const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' }

export const CONFIDENCE_TITLE: Record<Confidence, string> = {
  hint: 'Hint: seen once; it may be a coincidence',
  likely: 'Likely: seen again, the same way',
  confirmed: 'Confirmed: seen repeatedly, or reproduced by the probe',
}

export const TECHNIQUE_LABEL: Record<TechniqueName, string> = {
  websocket: 'WebSocket',
  sse: 'SSE',
  'long-polling': 'Long-polling',
  polling: 'Polling',
  streaming: 'HTTP streaming',
}

export const VERDICT_LABEL: Record<TechniqueMatrixRow['verdict'], string> = { works: 'works', degraded: 'degraded', fails: 'fails', untested: 'not tested' }

export const CHECK_STATE_LABEL: Record<ProbeCheck['state'], string> = { pending: 'waiting', running: 'running', done: 'done', skipped: 'skipped', failed: 'failed' }

/** "2 errors · 1 warning": what the badge's title and the panel's header say. */
export function countsText(counts: { error: number; warning: number; info: number }): string {
  const part = (n: number, word: string) => (n > 0 ? `${n} ${word}${n === 1 ? '' : 's'}` : '')
  return [part(counts.error, 'error'), part(counts.warning, 'warning'), part(counts.info, 'note')].filter(Boolean).join(' · ')
}

/** Findings quote settings and lines in backticks (`proxy_read_timeout`): those parts read as code. */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  const parts = text.split('`')
  // An odd backtick out is a character, not a quote: leave the text as it is.
  if (parts.length % 2 === 0) return [{ text, code: false }]
  return parts.map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((p) => p.text !== '')
}
