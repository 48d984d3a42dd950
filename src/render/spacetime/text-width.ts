/**
 * How wide a label is drawn, estimated without a browser: the advance widths of DejaVu Sans (the
 * widest of the sans-serif fonts a viewer falls back to; Helvetica and Arial are narrower, so a
 * label that fits here fits there). A flat 6.3 px a character let labels of capitals, digits and
 * `#` (`LEDGER#PAYMENT#1#06cc99…`) run over the time axis and out of the drawing.
 */

/** DejaVu Sans advance widths, in units of 1/2048 em. */
const UNITS: Record<string, number> = {
  ' ': 651, '!': 821, '"': 842, '#': 1716, $: 1303, '%': 1946, '&': 1597, "'": 563, '(': 799, ')': 799, '*': 1024, '+': 1716, ',': 651, '-': 739, '.': 651, '/': 690,
  ':': 690, ';': 690, '<': 1716, '=': 1716, '>': 1716, '?': 1087, '@': 2048, '[': 799, '\\': 690, ']': 799, '^': 1716, _: 1024, '`': 1024, '{': 1303, '|': 690, '}': 1303, '~': 1716, '…': 2048,
  A: 1401, B: 1405, C: 1430, D: 1577, E: 1294, F: 1178, G: 1587, H: 1540, I: 604, J: 604, K: 1343, L: 1141, M: 1767, N: 1532, O: 1612, P: 1235, Q: 1612, R: 1423, S: 1300, T: 1251, U: 1499, V: 1401, W: 2025, X: 1403, Y: 1251, Z: 1403,
  a: 1255, b: 1300, c: 1126, d: 1300, e: 1260, f: 721, g: 1300, h: 1298, i: 569, j: 569, k: 1186, l: 569, m: 1995, n: 1298, o: 1253, p: 1300, q: 1300, r: 842, s: 1067, t: 803, u: 1298, v: 1212, w: 1675, x: 1212, y: 1212, z: 1075,
};
/** Digits are one width; anything else (accents, other scripts) is taken as wide as a capital M. */
const DIGIT = 1303;
const OTHER = 1767;

/** The drawn width of `text` at `fontPx`, in px (an estimate on the wide side). */
export function textWidth(text: string, fontPx: number): number {
  let units = 0;
  for (const ch of text) units += UNITS[ch] ?? (ch >= '0' && ch <= '9' ? DIGIT : OTHER);
  return (units / 2048) * fontPx;
}

/** `text` cut (with an ellipsis) to be drawn in at most `px` at `fontPx`. */
export function cutToWidth(text: string, px: number, fontPx: number): string {
  if (textWidth(text, fontPx) <= px) return text;
  const room = px - textWidth('…', fontPx);
  let used = 0;
  let out = '';
  for (const ch of text) {
    const w = textWidth(ch, fontPx);
    if (used + w > room) break;
    used += w;
    out += ch;
  }
  // (a part cut before, `ITEM#12…`, keeps one ellipsis)
  return `${out.trimEnd().replace(/…+$/, '')}…`;
}
