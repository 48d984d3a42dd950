import { describe, expect, it } from 'vitest';
import { cutToWidth, textWidth } from '../../../src/render/spacetime/text-width.js';

// A review found labels of capitals, digits and `#` running over the time axis and out of the
// drawing: a flat 6.3 px a character was too narrow for them.
describe('a label’s drawn width', () => {
  it('counts capitals, digits and # wider than lower case, as a sans-serif font draws them', () => {
    expect(textWidth('LEDGER#PAYMENT#1#06cc99', 11)).toBeGreaterThan(23 * 6.3 + 20);
    expect(textWidth('iiii', 11)).toBeLessThan(textWidth('MMMM', 11) / 2);
    expect(textWidth('', 11)).toBe(0);
  });

  it('cuts a label to its room with an ellipsis, and leaves one that fits as it is', () => {
    const label = 'LEDGER#PAYMENT#1#06cc99… account=ACCOUNT#9 amount=30';
    const cut = cutToWidth(label, 200, 11);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 11)).toBeLessThanOrEqual(200);
    expect(label.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cutToWidth('ACCOUNT#9 balance=-30', 200, 11)).toBe('ACCOUNT#9 balance=-30');
    // a cut that ends where an earlier cut ended has one ellipsis (it had two)
    const twice = cutToWidth('WWWWWWWWWWWWWWWW#123456… status=paid amount=30', textWidth('WWWWWWWWWWWWWWWW#123456……', 11), 11);
    expect(twice).toBe('WWWWWWWWWWWWWWWW#123456…');
  });
});
