// Durations read the same in a finding, the CLI and the diagnostics panel.
import { describe, expect, it } from 'vitest'
import { formatMs } from '../../main/contract/format.js'

describe('formatMs', () => {
  it('says milliseconds below a second, tenths of a second below ten, whole seconds below two minutes', () => {
    expect([0, 12.4, 999.4].map(formatMs)).toEqual(['0 ms', '12 ms', '999 ms'])
    expect([1000, 3000, 3240, 9940].map(formatMs)).toEqual(['1.0 s', '3.0 s', '3.2 s', '9.9 s'])
    expect([10_000, 60_000, 119_400].map(formatMs)).toEqual(['10 s', '60 s', '119 s'])
  })

  it('says minutes from two minutes on, with the seconds left over', () => {
    expect([120_000, 150_000, 240_400, 299_700].map(formatMs)).toEqual(['2 min', '2 min 30 s', '4 min', '5 min'])
  })
})
