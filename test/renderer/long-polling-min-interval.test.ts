// The long-polling editor's "Min interval": a spec's minIntervalMs shows in the draft
// and goes back into the spec; left at the default, it adds nothing to the saved spec.
import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema } from '@contract'
import { draftFromSpec, draftToInput } from '../../renderer/src/editor/spec-draft'

const spec = (longPolling: Record<string, unknown>) => ConnectionSpecSchema.parse({ technique: 'long-polling', url: 'http://127.0.0.1:1/poll', longPolling })

describe('long-polling Min interval', () => {
  it('round-trips through the draft', () => {
    const draft = draftFromSpec(spec({ minIntervalMs: 1000 }))
    expect(draft.longPolling.minIntervalMs).toBe('1000')
    const back = draftToInput(draft)
    expect(JSON.stringify(back)).toContain('"minIntervalMs":1000')
  })

  it('is empty at the default and stays out of the spec', () => {
    const draft = draftFromSpec(spec({}))
    expect(draft.longPolling.minIntervalMs).toBe('')
    expect(JSON.stringify(draftToInput(draft))).not.toContain('minIntervalMs')
  })
})
