// Recordings the OS hands the desktop app: found on the command line, held until the
// page is ready, delivered once each and in order, held again while the page reloads.
import { describe, expect, it } from 'vitest'
import { PendingRecordings, recordingPathsIn } from '../../electron/recording-paths.js'

describe('recordingPathsIn', () => {
  it('takes recording files from a command line, not the executable, flags or other files', () => {
    expect(recordingPathsIn(['/opt/rti/realtime-inspector', '--no-sandbox', '/home/me/a.rti.jsonl', 'notes.txt', 'b.rti.jsonl'])).toEqual(['/home/me/a.rti.jsonl', 'b.rti.jsonl'])
  })
})

describe('PendingRecordings', () => {
  it('holds paths until the page is ready, then delivers each once in order', () => {
    const pending = new PendingRecordings()
    const got: string[] = []
    pending.add('a.rti.jsonl')
    pending.add('b.rti.jsonl')
    pending.ready((p) => got.push(p))
    pending.add('c.rti.jsonl')
    expect(got).toEqual(['a.rti.jsonl', 'b.rti.jsonl', 'c.rti.jsonl'])
    pending.unready()
    pending.add('d.rti.jsonl')
    expect(got).toHaveLength(3)
    pending.ready((p) => got.push(p))
    expect(got).toEqual(['a.rti.jsonl', 'b.rti.jsonl', 'c.rti.jsonl', 'd.rti.jsonl'])
  })
})
