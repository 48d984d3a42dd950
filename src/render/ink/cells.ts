import stringWidth from 'string-width';
import type { Measure } from '../wrap.js';

// Text measured in terminal columns, as ink lays it out: a CJK character or an emoji takes two
// columns and is never cut in two. The terminal view wraps and cuts with these, so no line it
// makes is wider than its column (ink's own cut of such a line overflowed it by one column, and
// the terminal wrapped the row) and no character is split (half a surrogate pair printed as �).

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/**
 * Longest text segmented (or measured) in one piece. V8's Intl.Segmenter takes time quadratic in
 * the length of what it segments (measured: 16,000 characters 0.43 s, 75,000 51 s, string-width
 * alike, as it segments too), so a long value (an item's attribute of CJK text) is segmented a
 * piece at a time: 75,000 characters in about 0.3 s.
 */
const PIECE = 256;

/** Columns `text` takes on a terminal (string-width, which ink measures with: the sum of its characters' widths). */
export function cellWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  if (text.length <= PIECE) return stringWidth(text);
  let width = 0;
  for (const g of graphemes(text)) width += stringWidth(g);
  return width;
}

/** `text` as the characters a reader sees (grapheme clusters: an emoji with its modifiers, a flag), in order. */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
  if (text.length <= PIECE) return Array.from(segmenter.segment(text), (s) => s.segment);
  const out: string[] = [];
  // a piece's last character may go on in the next piece (a flag's second half, an emoji's
  // modifier, a surrogate pair's low half), and when the piece ends inside a surrogate pair the
  // half is a character of its own that keeps the one before from joining what follows: the last
  // two are segmented again with the next piece
  let carried = '';
  for (let at = 0; at < text.length; at += PIECE) {
    const last = at + PIECE >= text.length;
    const segments = Array.from(segmenter.segment(carried + text.slice(at, at + PIECE)), (s) => s.segment);
    carried = last ? '' : segments.splice(-2).join('');
    for (const g of segments) out.push(g);
  }
  return out;
}

/** The length (in code units) of the longest start of `text` at most `columns` wide, ending between two characters. */
export function fitIndex(text: string, columns: number): number {
  if (PRINTABLE_ASCII.test(text)) return Math.max(0, Math.min(text.length, columns));
  let used = 0;
  let at = 0;
  for (const g of graphemes(text)) {
    used += stringWidth(g);
    if (used > columns) break;
    at += g.length;
  }
  return at;
}

/** Terminal columns, for the wrapping shared with the plain view (wrap.ts, text.ts wrapWords). */
export const TERMINAL_CELLS: Measure = { width: cellWidth, units: graphemes };
