import stringWidth from 'string-width';
import type { Measure } from '../wrap.js';

// Text measured in terminal columns, as ink lays it out: a CJK character or an emoji takes two
// columns and is never cut in two. The terminal view wraps and cuts with these, so no line it
// makes is wider than its column (ink's own cut of such a line overflowed it by one column, and
// the terminal wrapped the row) and no character is split (half a surrogate pair printed as �).

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** Columns `text` takes on a terminal (string-width, which ink measures with). */
export function cellWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** `text` as the characters a reader sees (grapheme clusters: an emoji with its modifiers, a flag), in order. */
export function graphemes(text: string): string[] {
  return PRINTABLE_ASCII.test(text) ? text.split('') : Array.from(segmenter.segment(text), (s) => s.segment);
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
