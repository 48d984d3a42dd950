/**
 * A table with a label column and one column per compared combination, laid out for a given
 * width: cells wrap inside their column, and when the columns do not fit side by side the table
 * continues in blocks of columns, each repeating the labels. Narrower than the labels and one
 * column of MIN_COLUMN, it is no table: each combination is listed on its own, a `label: value`
 * line per row. Plain strings are laid out first and painted after (`paint`), so colour never
 * changes a width.
 */

/** How a cell is painted in the terminal view; the plain view ignores it. */
export type CellTone = 'plain' | 'head' | 'good' | 'bad' | 'warn' | 'dim';

export interface TableCell {
  text: string;
  tone?: CellTone;
}

export interface TableRow {
  label: string;
  /** A section heading: its label in the heading tone, its cells usually empty. */
  heading?: boolean;
  cells: TableCell[];
}

export interface TableLayout {
  /** Total width of a line, in characters. */
  width: number;
  paint?: (tone: CellTone, text: string) => string;
}

import { breakWord } from './wrap.js';

/** The narrowest a column is made before the table continues in another block (unless it alone is wider than the width). */
export const MIN_COLUMN = 14;
/** The label column never takes more than this: longer labels wrap. */
export const MAX_LABEL = 24;
const SEPARATOR = ' │ ';

/** The table's lines: a header per block (the combinations' names), its rows, a blank line between blocks. */
export function renderTable(headers: TableCell[][], rows: TableRow[], layout: TableLayout): string[] {
  const paint = layout.paint ?? ((_tone: CellTone, text: string) => text);
  let labelWidth = 0;
  for (const r of rows) labelWidth = Math.max(labelWidth, r.label.length);
  labelWidth = Math.min(MAX_LABEL, Math.max(labelWidth, 8));
  const natural = headers.map((head, i) => {
    let n = 1;
    for (const c of head) n = Math.max(n, c.text.length);
    for (const r of rows) n = Math.max(n, r.cells[i]?.text.length ?? 0);
    return n;
  });
  // no room beside the labels for one column: it was laid out anyway, wider than the terminal
  if (layout.width - labelWidth < MIN_COLUMN + SEPARATOR.length) return renderListed(headers, rows, layout.width, paint);
  const out: string[] = [];
  for (const block of blocks(natural, layout.width - labelWidth)) {
    if (out.length > 0) out.push('');
    const widths = block.map((b) => b.width);
    const line = (label: string, labelTone: CellTone, cells: Array<{ text: string; tone: CellTone }>): string =>
      (pad(paint(labelTone, label), label, labelWidth) + cells.map((c, j) => SEPARATOR + pad(paint(c.tone, c.text), c.text, widths[j]!)).join('')).trimEnd();
    const headLines = Math.max(...block.map((b) => headers[b.index]!.length));
    for (let k = 0; k < headLines; k++) {
      out.push(line('', 'plain', block.map((b) => ({ text: fit(headers[b.index]![k]?.text ?? '', b.width), tone: headers[b.index]![k]?.tone ?? 'head' }))));
    }
    out.push(`${'─'.repeat(labelWidth)}${widths.map((w) => `─┼─${'─'.repeat(w)}`).join('')}`);
    for (const row of rows) {
      const labelLines = wrapCell(row.label, labelWidth);
      const cellLines = block.map((b) => wrapCell(row.cells[b.index]?.text ?? '', b.width));
      const height = Math.max(labelLines.length, ...cellLines.map((c) => c.length));
      for (let k = 0; k < height; k++) {
        out.push(line(labelLines[k] ?? '', row.heading ? 'head' : 'plain', block.map((b, j) => ({ text: cellLines[j]![k] ?? '', tone: row.cells[b.index]?.tone ?? 'plain' }))));
      }
    }
  }
  return out;
}

/**
 * The table's content for a width too narrow for it: per combination its header on one line (mode
 * · strategy) over a rule, then a line per row, `label: value` (a row without a value, a heading,
 * is its label alone), wrapped under the label's indent; a blank line between combinations.
 */
function renderListed(headers: TableCell[][], rows: TableRow[], width: number, paint: (tone: CellTone, text: string) => string): string[] {
  const out: string[] = [];
  headers.forEach((head, i) => {
    if (out.length > 0) out.push('');
    const title = head.map((c) => c.text).join(' · ');
    for (const line of wrapHanging(title, width, width)) out.push(paint(head[0]?.tone ?? 'head', line));
    out.push('─'.repeat(Math.min(width, Math.max(1, title.length))));
    for (const row of rows) out.push(...listedRow(row.label, row.heading ? 'head' : 'plain', row.cells[i] ?? { text: '' }, width, paint));
  });
  return out;
}

/** A row of the listed layout: `label: value`, the value beside its label while a useful part of it fits there, else under it. */
function listedRow(label: string, labelTone: CellTone, cell: TableCell, width: number, paint: (tone: CellTone, text: string) => string): string[] {
  const tone = cell.tone ?? 'plain';
  if (cell.text === '') return wrapCell(label, width).map((line) => paint(labelTone, line));
  const indent = /^ */.exec(label)![0].length;
  // continuation lines two in from the label, never so far in that little room is left
  const hang = ' '.repeat(Math.min(indent + 2, Math.floor(width / 2)));
  const head = `${label}:`;
  const beside = width - head.length - 1;
  if (beside >= Math.min(cell.text.length, MIN_COLUMN)) {
    const [first, ...rest] = wrapHanging(cell.text, beside, width - hang.length);
    return [`${paint(labelTone, head)} ${paint(tone, first!)}`, ...rest.map((line) => hang + paint(tone, line))];
  }
  return [...wrapCell(head, width).map((line) => paint(labelTone, line)), ...wrapHanging(cell.text, width - hang.length, width - hang.length).map((line) => hang + paint(tone, line))];
}

/**
 * Text wrapped at its spaces into a first line of at most `first` characters and the others of at
 * most `rest` (the caller indents them); a word longer than its line breaks (wrap.ts). Line ends
 * are trimmed.
 */
export function wrapHanging(text: string, first: number, rest: number): string[] {
  const lines: string[] = [];
  const room = () => Math.max(1, lines.length === 0 ? first : rest);
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length <= room()) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    let left = word;
    while (left.length > room()) {
      const piece = breakWord(left, room())[0]!;
      lines.push(piece);
      left = left.slice(piece.length);
    }
    line = left;
  }
  if (line.trimEnd() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * Splits the columns into blocks that fit `room` (the width beside the labels): as many columns
 * per block as fit at MIN_COLUMN or their natural width, whichever is less; each block's room is
 * then shared so that narrow columns keep their natural width and wide ones split the rest.
 */
export function blocks(natural: readonly number[], room: number): Array<Array<{ index: number; width: number }>> {
  const out: Array<Array<{ index: number; width: number }>> = [];
  let start = 0;
  while (start < natural.length) {
    let end = start + 1;
    let used = Math.min(natural[start]!, MIN_COLUMN) + SEPARATOR.length;
    while (end < natural.length && used + Math.min(natural[end]!, MIN_COLUMN) + SEPARATOR.length <= room) {
      used += Math.min(natural[end]!, MIN_COLUMN) + SEPARATOR.length;
      end++;
    }
    out.push(share(natural.slice(start, end), room - (end - start) * SEPARATOR.length).map((width, k) => ({ index: start + k, width })));
    start = end;
  }
  return out;
}

/** Water-filling: each column gets its natural width if it fits its fair share, the rest split the remainder. */
function share(natural: readonly number[], room: number): number[] {
  const widths = natural.map(() => 0);
  const order = natural.map((n, i) => ({ n, i })).sort((a, b) => a.n - b.n || a.i - b.i);
  let left = Math.max(room, natural.length);
  order.forEach(({ n, i }, k) => {
    const fair = Math.floor(left / (order.length - k));
    widths[i] = Math.max(1, Math.min(n, fair));
    left -= widths[i]!;
  });
  return widths;
}

/** Text wrapped at spaces into lines of at most `width`, keeping its indent; a word longer than a line is broken (wrap.ts). */
export function wrapCell(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  // a label's indent (an item under its heading) stays on every line it wraps to
  const indent = /^ */.exec(text)![0].slice(0, Math.max(0, width - 4));
  const room = width - indent.length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.slice(indent.length).split(' ')) {
    if (line && line.length + 1 + word.length <= room) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    const pieces = breakWord(word, room);
    lines.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1]!;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l);
}

/** A painted text padded to `width` by its plain length: escape codes never count as width. */
function pad(painted: string, plain: string, width: number): string {
  return painted + ' '.repeat(Math.max(0, width - plain.length));
}

/** A header line cut to its column with an ellipsis (headers do not wrap, so blocks line up). */
function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
