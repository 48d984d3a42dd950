import { describe, expect, it } from 'vitest';
import { formatTime } from '../../src/render/format-time.js';

describe('formatTime (virtual time in every view)', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [12.5, '12.5ms'],
    // to the microsecond, as durations keep it (2.25 read 2.3ms beside its check's "2.25ms")
    [2.25, '2.25ms'],
    [0.125, '0.125ms'],
    [788.2504, '788.25ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [3300, '3.3s'],
    [10000, '10s'],
    [12345, '12.345s'],
    [59999, '59.999s'],
    [60000, '1m'],
    [65000, '1m05s'],
    [502345, '8m22.345s'],
    [3600000, '1h'],
    [3723000, '1h02m03s'],
    [3720000, '1h02m'],
    [3600500, '1h00m00.5s'],
    [86400000, '1d'],
    [2 * 86400000 + 3 * 3600000, '2d03h'],
    [90061001, '1d01h01m01.001s'],
    [7 * 86400000, '7d'],
    [-200, '-200ms'],
    [-1500, '-1.5s'],
  ])('%s ms reads %s', (ms, text) => {
    expect(formatTime(ms)).toBe(text);
  });

  it('keeps raw milliseconds where a spelled-out time would not read (never throws)', () => {
    expect(formatTime(1e300)).toBe('1e+300ms');
    expect(formatTime(Number.NaN)).toBe('NaNms');
  });
});
