import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cellWidth, fitIndex, graphemes, TERMINAL_CELLS } from '../../../src/render/ink/cells.js';
import { breakWord } from '../../../src/render/wrap.js';

// Long text is segmented a piece at a time (V8's Intl.Segmenter is quadratic in a string's length):
// the characters that straddle two pieces must come out whole, as one segmentation gives them.
const mixed = '👨‍👩‍👧‍👦🇯🇵é注x😀🏽'; // a family (ZWJ), a flag, e + combining accent, CJK, ASCII, emoji + skin tone
const long = Array.from({ length: 300 }, (_, i) => `${'a'.repeat(i % 7)}${mixed}`).join('');
const whole = (text: string) => Array.from(new Intl.Segmenter().segment(text), (s) => s.segment);

describe('terminal cells of long text', () => {
  it('segments text longer than a piece as one segmentation does, whatever falls on a piece boundary', () => {
    expect(long.length).toBeGreaterThan(1000);
    expect(graphemes(long)).toEqual(whole(long));
    // a flag, a family, a surrogate pair cut by each possible piece boundary
    for (let pad = 0; pad <= mixed.length; pad++) {
      const text = `${'b'.repeat(250 + pad)}${mixed.repeat(40)}`;
      expect(graphemes(text)).toEqual(whole(text));
    }
  });

  it('measures and cuts long text as string-width measures it whole', () => {
    expect(cellWidth(long)).toBe(stringWidth(long));
    const at = fitIndex(long, 500);
    expect(cellWidth(long.slice(0, at))).toBeLessThanOrEqual(500);
    expect(whole(long.slice(0, at)).join('')).toBe(long.slice(0, at));
    for (const piece of breakWord(long, 80, TERMINAL_CELLS)) expect(cellWidth(piece)).toBeLessThanOrEqual(80);
    expect(breakWord(long, 80, TERMINAL_CELLS).join('')).toBe(long);
  });
});
