/**
 * Breaking a word longer than its column (an item id, a value with no spaces) so that nothing of it
 * is lost: after the strongest separator that fits (`CUSTOMER#7#TOTALS#` | `eu-west-1`), else at
 * the column's width. Shared by every view that wraps text into a column.
 */

/** Characters a long id or value breaks after, the strongest first: its key separators, then those inside a name. */
const BREAKS = ['#|/=,', '-_.:}]'];

/** Where a word longer than `room` breaks (an index in 1..room). */
function breakAt(word: string, room: number): number {
  for (const separators of BREAKS) for (let i = room; i > room / 2; i--) if (separators.includes(word[i - 1]!)) return i;
  return room;
}

/** The word in pieces of at most `room` characters (itself when it fits). */
export function breakWord(word: string, room: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (rest.length > room && room > 0) {
    const cut = breakAt(rest, room);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}
