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

/**
 * Where a piece of a word wider than `room` ends: the index of the unit after it, more than `start`.
 * `ends[k]` is the width of the word's first k units.
 */
function breakAt(units: readonly string[], ends: readonly number[], start: number, room: number): number {
  const base = ends[start]!;
  let fits = start + 1;
  while (fits < units.length && ends[fits + 1]! - base <= room) fits += 1;
  for (const separators of BREAKS) for (let i = fits; ends[i]! - base > room / 2; i--) if (separators.includes(units[i - 1]!)) return i;
  return fits;
}

/** Where a word longer than `room` code units breaks (an index in 1..room): the plain views' measure, on the string itself. */
function breakAtCodeUnit(word: string, room: number): number {
  for (const separators of BREAKS) for (let i = room; i > room / 2; i--) if (separators.includes(word[i - 1]!)) return i;
  return room;
}

/**
 * The word in pieces at most `room` wide (itself when it fits). Linear in the word's length: a
 * value of 400 KB with no space (an item at DynamoDB's size limit) is broken in milliseconds.
 */
export function breakWord(word: string, room: number, measure: Measure = CODE_UNITS): string[] {
  const pieces: string[] = [];
  if (measure === CODE_UNITS) {
    let rest = word;
    while (rest.length > room && room > 0) {
      const cut = breakAtCodeUnit(rest, room);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    pieces.push(rest);
    return pieces;
  }
  const units = measure.units(word);
  const ends = [0];
  for (const unit of units) ends.push(ends[ends.length - 1]! + measure.width(unit));
  const total = ends[units.length]!;
  let start = 0;
  while (total - ends[start]! > room && room > 0) {
    const cut = breakAt(units, ends, start, room);
    pieces.push(units.slice(start, cut).join(''));
    start = cut;
  }
  pieces.push(units.slice(start).join(''));
  return pieces;
}
