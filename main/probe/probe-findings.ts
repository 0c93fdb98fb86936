// The probe's findings: its own (measured by the battery) and the passive ones its
// sessions raised, one per id. The probe's own win: it reproduced what it reports.
import { FINDING_IDS, FINDING_LIMITS, type Finding, type Severity } from '../contract/index.js'
import type { FindingDraft } from '../diagnostics/detector.js'

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/** A draft made a finding, bounded like the passive ones. */
export function toFinding(draft: FindingDraft, at: number = Date.now()): Finding {
  const finding: Finding = { ...draft, evidence: draft.evidence.slice(0, FINDING_LIMITS.evidence), raisedAt: at, updatedAt: at }
  if (draft.knownDefaults) finding.knownDefaults = draft.knownDefaults.slice(0, FINDING_LIMITS.knownDefaults)
  if (draft.knownDefaults?.length === 0) delete finding.knownDefaults
  return finding
}

export class ProbeFindings {
  private readonly own = new Map<string, Finding>()
  private readonly passive = new Map<string, Finding>()

  raise(draft: FindingDraft): void {
    const before = this.own.get(draft.id)
    const finding = toFinding(draft)
    if (before) finding.raisedAt = before.raisedAt
    this.own.set(draft.id, finding)
  }

  /** Findings a session's detectors raised; the latest of each id is kept. */
  addPassive(findings: readonly Finding[]): void {
    for (const finding of findings) this.passive.set(finding.id, finding)
  }

  has(id: string): boolean {
    return this.own.has(id)
  }

  /** Worst first, then in the catalogue's order. */
  list(): Finding[] {
    const merged = new Map(this.passive)
    for (const [id, finding] of this.own) merged.set(id, finding)
    const rank = (id: string) => {
      const at = (FINDING_IDS as readonly string[]).indexOf(id)
      return at < 0 ? FINDING_IDS.length : at
    }
    return [...merged.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || rank(a.id) - rank(b.id))
  }
}
