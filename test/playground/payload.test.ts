import { describe, expect, it } from 'vitest';
import { sendTime, stampedByteLength, stampedText, writeStamped } from '../../main/playground/payload.js';

describe('stamped payload', () => {
  it('is JSON with seq and a fractional epoch-ms sentAt', () => {
    const before = Date.now();
    const stamp = JSON.parse(stampedText(7)) as { seq: number; sentAt: number };
    expect(stamp.seq).toBe(7);
    expect(stamp.sentAt).toBeGreaterThanOrEqual(before - 1);
    expect(stamp.sentAt).toBeLessThanOrEqual(Date.now() + 1);
    expect(sendTime()).toBeGreaterThanOrEqual(stamp.sentAt);
  });

  it('pads to exactly the requested size when that is larger than the bare stamp', () => {
    expect(stampedText(1, 1.5, 100)).toHaveLength(100);
    expect(stampedText(1, 1.5, 5)).toBe('{"seq":1,"sentAt":1.5}');
  });

  it('writes the same bytes as it formats, for the flood path', () => {
    const buffer = Buffer.alloc(80_000);
    for (const [seq, sentAt, size] of [
      [1, 1.5, 0],
      [1_000_000_000, 1795493570316.5896, 0],
      [42, 1795493570316, 64],
      [9, 1.25, 31],
      [9, 1.25, 32],
      [3, 1795493570316.25, 70_000],
    ] as const) {
      const expected = stampedText(seq, sentAt, size);
      const sentAtBytes = Buffer.from(String(sentAt));
      const end = writeStamped(buffer, 3, seq, sentAtBytes, size);
      expect(buffer.toString('latin1', 3, end)).toBe(expected);
      expect(stampedByteLength(seq, sentAtBytes, size)).toBe(expected.length);
    }
  });
});
