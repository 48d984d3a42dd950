import { isMap, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import type { ScenarioProblem } from '../scenario/problems.js';

/** What a combination replaces in the scenario: its `mode` and its `application.strategy`. */
export interface VariantChange {
  mode?: string;
  strategy?: string;
}

/** The scenario's text with a combination's values written in, and how to place its problems in the original. */
export interface Variant {
  text: string;
  /** The problems of `text` placed at the lines of the original file. */
  place: (problems: ScenarioProblem[]) => ScenarioProblem[];
}

/**
 * Writes a combination's `mode` and `application.strategy` into the scenario's own text, so the
 * combination goes through the same loader and checks as `geosim run` and its problems point at the
 * user's file: a value already there is replaced on its line; a key that is missing is appended at
 * the end of the document (top level) or at the start of the `application` mapping, one line whose
 * insertion `place` undoes. Values are the schema's names (plain YAML words), never quoted.
 * Returns undefined when the text is not a YAML mapping the edit can place (the loader then
 * reports the original file's problems).
 */
export function variantText(text: string, change: VariantChange): Variant | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.flow) return undefined;
  const top = doc.contents as YAMLMap;
  // Edits as [offset, text] pairs, applied from the end so earlier offsets stay valid.
  const edits: Array<{ at: number; remove: number; insert: string }> = [];
  /** Lines of the user's file whose value compare replaced: their excerpt shows what compare wrote. */
  const replacedLines = new Set<number>();
  let insertedLine: number | undefined;
  /** Where a problem on the inserted line is said: the `application` key, a line of the user's file. */
  let insertedAt: { line: number; col: number; length: number } | undefined;
  let appended = '';
  if (change.mode !== undefined) {
    const pair = pairOf(top, 'mode');
    if (pair && isScalar(pair.value) && pair.value.range) {
      edits.push({ at: pair.value.range[0], remove: pair.value.range[1] - pair.value.range[0], insert: change.mode });
      replacedLines.add(lineOf(text, pair.value.range[0]));
    }
    else if (!pair) appended += `mode: ${change.mode}\n`;
    else return undefined;
  }
  if (change.strategy !== undefined) {
    const app = pairOf(top, 'application');
    const appMap = app && isMap(app.value) ? (app.value as YAMLMap) : undefined;
    const pair = appMap ? pairOf(appMap, 'strategy') : undefined;
    if (!app) appended += `application: { strategy: ${change.strategy} }\n`;
    else if (!appMap || !appMap.range) return undefined;
    else if (pair) {
      if (!isScalar(pair.value) || !pair.value.range) return undefined;
      edits.push({ at: pair.value.range[0], remove: pair.value.range[1] - pair.value.range[0], insert: change.strategy });
      replacedLines.add(lineOf(text, pair.value.range[0]));
    } else if (appMap.flow) {
      // `{ idempotency: none }` becomes `{ strategy: X, idempotency: none }`: the same line.
      const open = appMap.range[0] + 1;
      edits.push({ at: open, remove: 0, insert: appMap.items.length > 0 ? ` strategy: ${change.strategy},` : ` strategy: ${change.strategy} ` });
    } else {
      const first = appMap.items[0]?.key as { range?: [number, number, number] } | undefined;
      if (!first?.range) return undefined;
      const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
      const indent = text.slice(lineStart, first.range[0]);
      if (!/^ *$/.test(indent)) return undefined;
      edits.push({ at: lineStart, remove: 0, insert: `${indent}strategy: ${change.strategy}\n` });
      insertedLine = lineOf(text, lineStart);
      const key = app.key as { range?: [number, number, number] } | undefined;
      if (key?.range) {
        const keyLineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
        insertedAt = { line: lineOf(text, key.range[0]), col: key.range[0] - keyLineStart + 1, length: key.range[1] - key.range[0] };
      }
    }
  }
  // A custom merge function is the custom strategy's alone: another column runs without it (the
  // loader refused it: compare could not set a custom merge beside any other strategy)
  if (change.strategy !== undefined && change.strategy !== 'custom') {
    const app = pairOf(top, 'application');
    const merge = app && isMap(app.value) ? pairOf(app.value as YAMLMap, 'merge') : undefined;
    const removal = merge === undefined ? undefined : pairRemoval(text, merge, (app!.value as YAMLMap).flow === true);
    if (merge !== undefined && removal === undefined) return undefined;
    if (removal !== undefined) edits.push(removal);
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  if (appended) out += `${out.endsWith('\n') || out.length === 0 ? '' : '\n'}${appended}`;
  const originalLines = lineOf(text, text.length) - (text.endsWith('\n') ? 1 : 0);
  // A line the edit wrote (inserted, or appended after the user's last) is not in the user's file:
  // its problem is said at the `application` key (or the file's last line), without quoting a line.
  const written = (p: ScenarioProblem): ScenarioProblem => {
    const { sourceLine: _notTheUsers, ...rest } = p;
    const at = p.line === insertedLine && insertedAt ? insertedAt : { line: originalLines, col: 1, length: 1 };
    return { ...rest, ...at, message: `${p.message} (the value compare wrote in)` };
  };
  const place = (problems: ScenarioProblem[]): ScenarioProblem[] =>
    problems.map((p) => {
      if (p.line === insertedLine || p.line > originalLines + (insertedLine === undefined ? 0 : 1)) return written(p);
      const line = insertedLine !== undefined && p.line > insertedLine ? p.line - 1 : p.line;
      // the user's line, quoted as compare rewrote it (`strategy: custom` where the file says client-lww): said so
      const replaced = replacedLines.has(line) ? { message: `${p.message} (the value compare wrote in)` } : {};
      return { ...p, line, ...replaced };
    });
  return { text: out, place };
}

/**
 * The edit that takes a pair out of its mapping and keeps every line where it was (problems are
 * placed by line): in a flow mapping the pair and the comma after it (or before it, when last); in
 * a block mapping its text, each line it took left blank.
 */
function pairRemoval(text: string, pair: Pair, flow: boolean): { at: number; remove: number; insert: string } | undefined {
  const key = pair.key as { range?: [number, number, number] } | undefined;
  const value = pair.value as { range?: [number, number, number] } | undefined;
  if (!key?.range || !value?.range) return undefined;
  const start = key.range[0];
  let end = value.range[1];
  if (flow) {
    const after = /^\s*,\s*/.exec(text.slice(end));
    if (after) return { at: start, remove: end + after[0].length - start, insert: '' };
    const before = /,\s*$/.exec(text.slice(0, start));
    if (!before) return { at: start, remove: end - start, insert: '' };
    return { at: start - before[0].length, remove: end - start + before[0].length, insert: '' };
  }
  end = value.range[2];
  const removed = text.slice(start, end);
  return { at: start, remove: end - start, insert: removed.replace(/[^\n]/g, '') };
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
