/**
 * Breaking a word longer than its column (an item id, a value with no spaces) so that nothing of it
 * is lost: after the strongest separator that fits (`CUSTOMER#7#TOTALS#` | `eu-west-1`), else at
 * the column's width. Shared by every view that wraps text into a column.
 */

/** Characters a long id or value breaks after, the strongest first: its key separators, then those inside a name. */
const BREAKS = ['#|/=,', '-_.:}]'];

/**
 * How a view measures text: its width, and the pieces a word may be broken between. The plain
 * views count UTF-16 code units (CODE_UNITS); the terminal view counts terminal columns and never
 * breaks inside a character (ink/cells.ts).
 */
export interface Measure {
  width(text: string): number;
  units(text: string): string[];
}

export const CODE_UNITS: Measure = { width: (text) => text.length, units: (text) => text.split('') };

/** Where a word wider than `room` breaks: how many of its `units` go first (1 at least). */
function breakAt(units: string[], widths: number[], room: number): number {
  // ends[k]: the width of the first k units
  const ends = [0];
  for (const w of widths) ends.push(ends[ends.length - 1]! + w);
  let fits = 1;
  while (fits < units.length && ends[fits + 1]! <= room) fits += 1;
  for (const separators of BREAKS) for (let i = fits; ends[i]! > room / 2; i--) if (separators.includes(units[i - 1]!)) return i;
  return fits;
}

/** The word in pieces at most `room` wide (itself when it fits). */
export function breakWord(word: string, room: number, measure: Measure = CODE_UNITS): string[] {
  const pieces: string[] = [];
  let units = measure.units(word);
  let widths = units.map((u) => measure.width(u));
  let total = widths.reduce((n, w) => n + w, 0);
  while (total > room && room > 0) {
    const cut = breakAt(units, widths, room);
    pieces.push(units.slice(0, cut).join(''));
    for (const w of widths.slice(0, cut)) total -= w;
    units = units.slice(cut);
    widths = widths.slice(cut);
  }
  pieces.push(units.join(''));
  return pieces;
}
