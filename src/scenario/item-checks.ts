import type { PathProblem } from './problems.js';

/**
 * What DynamoDB refuses in the data a write carries, whatever the table holds, checked when the
 * file loads so the model and a real table agree (exit 2 at the value, instead of a model run that
 * succeeds and a backend run that fails). DynamoDB's wording is quoted from DynamoDB Local 3.3.0.
 */

/** DynamoDB's item size limit: the UTF-8 lengths of every attribute name and value, 400 KB. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** Numbers DynamoDB stores: magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125, or 0. */
const NUMBER_OVERFLOW = 1e126;
const NUMBER_UNDERFLOW = 1e-130;

/**
 * Problems of the attribute values in `attributes` (an item, an event's data, an update's set or
 * add), each at its path: numbers DynamoDB or a YAML double cannot hold, empty attribute names at
 * any depth, and values nested deeper than DynamoDB takes. `level`: the level of the attributes'
 * values in the item written (1 for an item's own attributes, 2 for an event's data, which the
 * item holds under Data).
 */
export function attributeProblems(attributes: Record<string, unknown>, path: PathProblem['path'], level = 1): PathProblem[] {
  const problems: PathProblem[] = [];
  // Values nest at most MAX_NESTING levels (checked before this runs), so recursion is safe.
  const visit = (value: unknown, at: PathProblem['path'], depth: number) => {
    if (depth > MAX_VALUE_LEVELS) {
      problems.push({ path: at, code: 'too-deep', message: 'DynamoDB refuses this write: "Nesting Levels have exceeded supported limits"', hint: `an attribute's value nests maps and lists at most ${MAX_VALUE_LEVELS} levels deep${level > 1 ? ` (${MAX_VALUE_LEVELS - level + 1} in an event's data, which the item holds under Data)` : ''}` });
      return;
    }
    if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem) problems.push({ path: at, code: 'bad-number', ...problem });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...at, i], depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [name, v] of Object.entries(value)) {
        if (name === '') problems.push({ path: [...at, name], atKey: true, code: 'empty-attribute-name', message: 'DynamoDB refuses this write: "Empty attribute name"', hint: 'every attribute, also inside a map, needs a name' });
        visit(v, [...at, name], depth + 1);
      }
    }
  };
  for (const [name, v] of Object.entries(attributes)) {
    if (name === '') problems.push({ path: [...path, name], atKey: true, code: 'empty-attribute-name', message: 'DynamoDB refuses this write: "Empty attribute name"', hint: 'every attribute, also inside a map, needs a name' });
    visit(v, [...path, name], level);
  }
  return problems;
}

/** Levels an attribute's value may have: the value itself is the first, each map or list inside it one more (DynamoDB's limit). */
const MAX_VALUE_LEVELS = 32;

function numberProblem(n: number): { message: string; hint?: string } | undefined {
  if (!Number.isFinite(n)) {
    return { message: `DynamoDB refuses ${String(n)}: "A value provided cannot be converted into a number"`, hint: `.nan and .inf are not numbers DynamoDB stores${Number.isNaN(n) ? '' : ', nor is a number too large for a double (1e400 reads as Infinity; DynamoDB numbers have a magnitude below 1e126)'}` };
  }
  const size = Math.abs(n);
  if (size >= NUMBER_OVERFLOW) {
    return { message: `DynamoDB refuses ${String(n)}: "Number overflow. Attempting to store a number with magnitude larger than supported range"`, hint: 'DynamoDB numbers have a magnitude below 1e126' };
  }
  if (size > 0 && size < NUMBER_UNDERFLOW) {
    return { message: `DynamoDB refuses ${String(n)}: "Number underflow. Attempting to store a number with magnitude smaller than supported range"`, hint: 'DynamoDB numbers other than 0 have a magnitude of at least 1e-130' };
  }
  if (size > Number.MAX_SAFE_INTEGER) {
    return {
      message: `this number is not exact: YAML reads numbers as doubles (it reads ${String(n)}), whole numbers exact only up to ${Number.MAX_SAFE_INTEGER}`,
      hint: 'put it in quotes to keep its digits (a string), or use a smaller number',
    };
  }
  return undefined;
}

/**
 * An item over DynamoDB's 400 KB, counted as DynamoDB does: UTF-8 bytes of names and strings,
 * numbers at their largest (21 bytes), booleans and null 1 byte, lists and maps 3 bytes plus 1 per
 * element. Over-counts a little, never under: what passes here fits in DynamoDB.
 */
export function itemSizeProblem(item: Record<string, unknown>, path: PathProblem['path'], extraBytes = 0, what = 'the item'): PathProblem | undefined {
  const bytes = attributesBytes(item) + extraBytes;
  if (bytes <= MAX_ITEM_BYTES) return undefined;
  return {
    path,
    code: 'item-too-large',
    message: `DynamoDB refuses this write: "Item size has exceeded the maximum allowed size" (${what} is about ${Math.ceil(bytes / 1024)} KB; the limit is 400 KB)`,
    hint: 'an item holds at most 400 KB: attribute names and values, UTF-8 bytes',
  };
}

/** Bytes of a mapping's names and values as DynamoDB counts them (numbers at their largest). */
export function attributesBytes(attributes: Record<string, unknown>): number {
  let total = 0;
  for (const [name, value] of Object.entries(attributes)) total += utf8(name) + valueBytes(value);
  return total;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return 21;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (value !== null && typeof value === 'object') return 3 + Object.keys(value).length + attributesBytes(value as Record<string, unknown>);
  return 1;
}

function utf8(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
