import { open, stat } from 'node:fs/promises';
import { dynamoJsonHint } from './wire-form.js';
import { basename, extname } from 'node:path';
import { Composer, isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, type Alias, LineCounter, Parser, YAMLParseError, type CST, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { toScenario } from './to-scenario.js';
import type { Scenario } from './model.js';
import type { DocPath, PathProblem, ScenarioProblem } from './problems.js';
import { shieldProtoKeys, unshieldIssue, unshieldProtoKeys } from './proto-keys.js';
import { quoted } from './printable.js';
import { isBetween, isOneOf, REGION_FORMAT, regionName, scenarioSchema, type ScenarioParsed } from './schema.js';
import { drawnByLabel, drawRanges, findRanges, pinRanges, RANGES_STREAM } from '../explore/ranges.js';
import { Rng } from '../sim/rng.js';
import { acceptsAt, allowedKeysAt, isOpenMappingAt } from './schema-keys.js';
import { DEFAULT_MAX_FILE_BYTES, formatBytes, formatBytesAgainst, MAX_ALIAS_VALUES, MAX_PROBLEMS } from './limits.js';
import { nestingProblem, resolvedDepthProblem, runawayFlowNesting, structureProblems, type OffsetProblem } from './yaml-structure.js';
import { semanticProblems } from './semantic-checks.js';
import { missingModuleProblems, withModuleNearMiss } from './module-files.js';
import { mixedFormProblem } from './api-steps.js';
import { partialSemanticProblems } from './partial.js';
import { isNear, suggest, suggests } from './near-miss.js';
import { LATE_SETTINGS, SETTING_LOCATIONS, type SettingLocation } from './setting-locations.js';

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/** A problem located in the file whose "did you mean" is still to be computed, if it is shown. */
type Located = ScenarioProblem & { suggest?: { key: string; from: readonly string[] } };

export interface LoadOptions {
  /** Largest file accepted, in bytes (`--max-file-size`); default DEFAULT_MAX_FILE_BYTES. */
  maxFileBytes?: number;
  /** The seed a scenario's ranges are drawn with (`--seed`); default the scenario's own. */
  seed?: number;
  /**
   * Refuse a module the scenario names that is not a file (module-files.ts), at its key's value.
   * loadScenarioFile checks unless told not to; text or an object is checked only when asked, so
   * its shape can be checked with no files around it.
   */
  checkModuleFiles?: boolean;
  /** `geosim serve` runs no steps: a file written for it alone may leave them out, or give none. */
  stepsOptional?: boolean;
}

/** What a file without steps is checked with when steps are optional (serve): a step that asks nothing of the run and is never run. */
const NO_STEP = { at: 0, check: { converged: true } };

/**
 * Reads and validates one scenario file. Never throws for bad content; I/O errors propagate.
 * A file over the size limit is refused before it is read; one that is not UTF-8 text before it
 * is parsed.
 */
export async function loadScenarioFile(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const info = await stat(file);
  if (info.isFile() && info.size > max) return { ok: false, problems: [tooLarge(file, info.size, max)] };
  const bytes = await readAtMost(file, max);
  if (bytes === undefined) return { ok: false, problems: [tooLarge(file, undefined, max)] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, problems: [notText(file, 'it is not valid UTF-8')] };
  }
  // a handler's source named where a scenario goes: one problem that says so, not its code read as YAML (a hundred errors)
  const code = CODE_FILE.exec(file);
  if (code !== null) return { ok: false, problems: [codeFile(file, code[0], text)] };
  return loadScenarioText(text, file, { ...options, checkModuleFiles: options.checkModuleFiles ?? true });
}

/** Extensions of source code, never of a scenario. */
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx|py|go|java|rb|rs|cs|sh)$/i;

function codeFile(file: string, extension: string, text: string): ScenarioProblem {
  // its first line as written (firstLine below trims it, which would move the caret)
  const opening = text.split('\n', 1)[0]!.replace(/\r$/, '');
  return {
    file,
    line: 1,
    col: 1,
    length: Math.max(1, Math.min(opening.length, 3)),
    sourceLine: opening,
    code: 'not-a-scenario',
    message: `a ${extension} file is source code, not a scenario: a scenario is a YAML file (.yaml or .yml)`,
    hint: /\.[cm]?[jt]sx?$/i.test(extension) ? 'to run a handler, name its module in a scenario: application: { module: ./src/handler.ts, handler: handler } (see examples/orders)' : 'write the scenario in YAML; see scenarios/ for examples',
  };
}

/** The file's bytes, or undefined when it holds more than `max` (a device or a growing file). */
async function readAtMost(file: string, max: number): Promise<Buffer | undefined> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, max + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) return undefined;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, size: number | undefined, max: number): ScenarioProblem {
  return {
    file,
    line: 1,
    col: 1,
    length: 1,
    code: 'file-too-large',
    message: size !== undefined ? `the file is ${formatBytesAgainst(size, max).join('; scenario files are limited to ')}` : `the file is larger than the limit; scenario files are limited to ${formatBytes(max)}`,
    hint: `raise the limit with --max-file-size, e.g. --max-file-size ${Math.ceil(Math.max(2 * max, size ?? 0) / 1_048_576)}MB`,
  };
}

/**
 * Git's conflict markers, each at the start of a line: `<<<<<<< HEAD`, `||||||| base` (diff3),
 * `=======`, `>>>>>>> branch`; a lone one left by a half-resolved conflict too.
 */
const CONFLICT_MARKER = /^(?:<{7}|\|{7}|={7}|>{7})(?:[ \r]|$)/gm;

/**
 * A file left mid-merge (a committed scenario or saved regression both sides changed): its markers,
 * one problem each, instead of the YAML errors they cause, which name neither git nor the fix.
 */
function mergeConflicts(text: string, file: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  // lines counted in one pass (a file of nothing but markers stays linear), problems capped as any others
  let line = 1;
  let counted = 0;
  for (const match of text.matchAll(CONFLICT_MARKER)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    if (problems.length === MAX_PROBLEMS) {
      problems.push({ file, line, col: 1, length: 7, code: 'more-problems', message: 'more merge conflict markers in this file are not shown', hint: 'resolve the conflicts above and run again' });
      break;
    }
    const end = text.indexOf('\n', match.index);
    const sourceLine = text.slice(match.index, end < 0 ? undefined : end).replace(/\r$/, '');
    problems.push({ file, line, col: 1, length: 7, sourceLine, code: 'merge-conflict', message: `a git merge conflict marker (${match[0].trim()}): the file holds both sides of a merge`, hint: 'keep the side you want, and delete the other side and the marker lines (<<<<<<<, |||||||, =======, >>>>>>>)' });
  }
  return problems;
}

function notText(file: string, why: string): ScenarioProblem {
  return { file, line: 1, col: 1, length: 1, code: 'not-text', message: `not a YAML text file (${why})`, hint: 'a scenario is a UTF-8 text file of YAML' };
}

/** Validates scenario YAML text; `file` is used for messages and the default name. */
/**
 * A scenario given as the object its YAML would parse to (the library's `run()`): the same schema,
 * checks and defaults as a file. A valid object skips YAML entirely; an invalid one is written out
 * as YAML and loaded as text, so its problems carry a line and column like a file's (`file` names
 * it in them).
 */
export function loadScenarioObject(data: Record<string, unknown>, file: string, toText: (data: unknown) => string, options: Pick<LoadOptions, 'seed' | 'checkModuleFiles'> = {}): LoadResult {
  const input = shieldProtoKeys(data);
  const parsed = scenarioSchema.safeParse(input);
  if (parsed.success) {
    const valid = input === data ? parsed.data : unshieldProtoKeys(parsed.data);
    if (semanticProblems(valid, data).length === 0 && !(options.checkModuleFiles && missingModuleProblems(valid, file).length > 0)) {
      const drawn = withDrawnRanges(valid, data, valid.name ?? basename(file, extname(file)), file, options.seed);
      if (drawn.ok) return drawn;
    }
  }
  return loadScenarioText(toText(data), file, { maxFileBytes: Number.MAX_SAFE_INTEGER, ...options });
}

/**
 * The Scenario of a valid file. One with ranges (`{ between }`, `{ oneOf }`) is drawn once from the
 * seed (its own stream, so no other draw shifts) and pinned (src/explore/ranges.ts, the one
 * implementation `geosim explore` uses too); the pinned input is checked again, since what depends
 * on the values drawn could not be checked before. Its problems keep the template's paths, so they
 * are placed at the ranges in the file.
 */
function withDrawnRanges(valid: ScenarioParsed, data: Record<string, unknown>, name: string, file: string, seed: number | undefined): LoadResult | { ok: false; paths: PathProblem[] } {
  const points = findRanges(data);
  if (points.length === 0) return { ok: true, scenario: toScenario(valid, name, file) };
  const drawSeed = seed ?? valid.seed;
  const pinned = pinRanges(data, drawRanges(points, new Rng(drawSeed, RANGES_STREAM)), points);
  const drawn = drawnByLabel(points, pinned);
  const input = shieldProtoKeys(pinned);
  const parsed = scenarioSchema.safeParse(input);
  // The template passed the schema and each value drawn is one its range allows.
  if (!parsed.success) throw new Error(`internal: a drawn scenario does not parse: ${parsed.error.message}`);
  const concrete = input === pinned ? parsed.data : unshieldProtoKeys(parsed.data);
  const problems = semanticProblems(concrete, pinned);
  if (problems.length > 0) {
    const values = Object.entries(drawn).map(([label, v]) => `${label}=${typeof v === 'number' ? `${v}ms` : v}`).join(', ');
    return { ok: false, paths: problems.map((p) => ({ ...p, message: `${p.message} (with the values drawn for seed ${drawSeed}: ${values})` })) };
  }
  return { ok: true, scenario: { ...toScenario(concrete, name, file), ranges: { seed: drawSeed, drawn, template: data } } };
}

export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (text.length > max || Buffer.byteLength(text, 'utf8') > max) return { ok: false, problems: [tooLarge(file, Buffer.byteLength(text, 'utf8'), max)] };
  if (text.includes('\0')) return { ok: false, problems: [notText(file, 'it contains NUL bytes')] };
  const conflicts = /<{7}|\|{7}|={7}|>{7}/.test(text) ? mergeConflicts(text, file) : [];
  if (conflicts.length > 0) return { ok: false, problems: conflicts };

  // Runaway flow nesting: only the text up to where it runs away is parsed (yaml's parser slows
  // with the square of the depth); its tokens place the problem exactly as for any too-deep file.
  const runaway = runawayFlowNesting(text);
  if (runaway !== undefined) {
    const prefixLines = new LineCounter();
    const prefix = text.slice(0, runaway + 1);
    const tooDeep = structureProblems(withoutStacks(() => [...new Parser(prefixLines.addNewLine).parse(prefix)])).filter((p) => p.code === 'too-deep');
    if (tooDeep.length > 0) {
      const at = locator(text, file, prefixLines, undefined);
      return { ok: false, problems: shown(tooDeep.map((p) => at.offset(p.offset, p.length, p.code, p.message, p.hint)), at) };
    }
  }
  const lineCounter = new LineCounter();
  // parseDocument's steps, with a look at the tokens in between: they are checked for nesting
  // and tags before anything recursive (composing, toJS, zod) runs on them.
  // `tokens` is let go once composed: the syntax tree of a 1 MB file is large, and keeping it
  // alive made every later garbage collection slower.
  let tokens: CST.Token[] | undefined = withoutStacks(() => [...new Parser(lineCounter.addNewLine).parse(text)]);
  const structure = structureProblems(tokens);
  const byOffset = locator(text, file, lineCounter, undefined);
  const atOffset = (p: OffsetProblem) => byOffset.offset(p.offset, p.length, p.code, p.message, p.hint);
  if (structure.some((p) => p.code === 'too-deep')) return { ok: false, problems: shown(structure.map(atOffset), byOffset) };
  const doc = withoutStacks(() => composeOne(tokens!, text));
  tokens = undefined;
  const locate = locator(text, file, lineCounter, doc);

  // An explicit core tag that does not fit its value (`!!int abc`) leaves the value unresolved.
  const structureAt = new Set(structure.map((p) => p.offset));
  const tagMisfits = doc.warnings
    .filter((w) => w.code === 'TAG_RESOLVE_FAILED' && !structureAt.has(w.pos[0]))
    .map((w) => {
      const tag = text.slice(w.pos[0], w.pos[1]).split(/\s/)[0] || 'tag';
      return locate.offset(w.pos[0], tag.length, 'tag-mismatch', `the tag ${tag} does not fit its value`, 'remove the tag, or write a value of that type');
    });
  const structural = [...structure.map(atOffset), ...tagMisfits, ...duplicateKeys(doc).map(atOffset)];

  if (doc.errors.length > 0) {
    // yaml may report one broken construct twice (both ends, or two views of one line): once is enough
    // (composeOne already left out most repeats; the second document's error comes on top).
    const seen = new Set<string>();
    const errors = doc.errors.filter((e) => {
      const again = seen.has(e.message) || seen.has(`@${e.pos[0]}`);
      seen.add(e.message).add(`@${e.pos[0]}`);
      return !again;
    });
    return {
      ok: false,
      problems: shown(
        [
          ...unclosedFirst(errors, text).map((e) =>
            locate.offset(...indentedStart(e, text), 'yaml-syntax', firstLine(e.message).replace(/ at line \d+, column \d+:?$/, ''), hintForYamlError(e.code, e.message, lineAt(text, e.pos[0]))),
          ),
          ...structural,
        ],
        locate,
      ),
    };
  }
  if (structural.length > 0) return { ok: false, problems: shown(structural, locate) };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      ok: false,
      // (a file of comments alone, or a lone `~`, holds no scenario either: said as what it holds)
      problems: [locate.offset(0, 1, 'empty-file', text.trim() === '' ? 'the file is empty' : 'the file holds no scenario (only comments, or a null)', 'a scenario needs at least `regions` and `steps`; see the README')],
    };
  }

  const aliases = resolveAliases(doc);
  if (aliases.unresolved.length > 0) return { ok: false, problems: shown(aliases.unresolved.map(atOffset), locate) };
  let data: unknown;
  try {
    // Aliases are bounded below by what they expand to (MAX_ALIAS_VALUES), exactly; yaml's own
    // count is a heuristic that refuses a chain of 20 anchors each used once, so it is off.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    return { ok: false, problems: [locate.offset(0, 1, 'yaml-aliases', firstLine((error as Error).message))] };
  }
  const resolved = resolvedDepthProblem(data);
  if (resolved) {
    const problem = resolved.cycle
      ? { path: resolved.path, code: 'alias-cycle', message: 'an alias refers to a mapping or list that contains it', hint: 'an alias (*name) may only refer to an anchor (&name) outside itself' }
      : { ...nestingProblem(0), path: resolved.path };
    return { ok: false, problems: [locate.path(problem)] };
  }
  if (aliases.count > 0) {
    const expanded = expansionProblem(data);
    if (expanded) return { ok: false, problems: [locate.path(expanded)] };
  }

  // A serve scenario without steps: checked with one that asks nothing, which is then dropped.
  const stepless = options.stepsOptional === true && typeof data === 'object' && data !== null && !Array.isArray(data) && ((data as { steps?: unknown }).steps === undefined || (Array.isArray((data as { steps?: unknown }).steps) && ((data as { steps: unknown[] }).steps.length === 0)));
  if (stepless) data = { ...(data as Record<string, unknown>), steps: [NO_STEP] };

  // `__proto__` keys (an item Id, an attribute) pass zod under another name (proto-keys.ts).
  const input = shieldProtoKeys(data);
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    // Every problem is found and placed (cheap, so the count is exact); only those shown get the
    // costly part of their hint (shown()).
    const all = parsed.error.issues.map(unshieldIssue).flatMap((i) => issueProblems(i, data));
    const found = withNearMisses(onePerValue(all), data);
    return { ok: false, problems: shown([...found, ...partialSemanticProblems(data)].map(locate.path), locate) };
  }
  // Nothing to undo when no key was shielded (shieldProtoKeys returned the data itself).
  const valid = input === data ? parsed.data : unshieldProtoKeys(parsed.data);
  const semantic = options.checkModuleFiles ? [...semanticProblems(valid, data).map((p) => withModuleNearMiss(p, valid, file)), ...missingModuleProblems(valid, file)] : semanticProblems(valid, data);
  if (semantic.length > 0) return { ok: false, problems: shown(semantic.map(locate.path), locate) };

  const name = valid.name ?? basename(file, extname(file));
  // It passed the schema, so the parsed YAML is a mapping.
  const result = withDrawnRanges(valid, data as Record<string, unknown>, name, file, options.seed);
  if ('paths' in result) return { ok: false, problems: shown(result.paths.map(locate.path), locate) };
  if (result.ok) keepSettingLocations(result.scenario, data, locate);
  if (result.ok && stepless) result.scenario.steps = [];
  return result;
}


/** Where the file writes the settings whose mistakes show only when the run starts (setting-locations.ts). */
function keepSettingLocations(scenario: Scenario, data: unknown, locate: ReturnType<typeof locator>): void {
  const locations = new Map<string, SettingLocation>();
  for (const path of LATE_SETTINGS) {
    if (valueAt(data, path) === undefined) continue;
    const { file, line, col, length, sourceLine } = locate.path({ path, code: '', message: '' });
    locations.set(path.join('.'), { file, line, col, length, ...(sourceLine !== undefined ? { sourceLine } : {}) });
  }
  if (locations.size > 0) scenario[SETTING_LOCATIONS] = locations;
}

/**
 * Resolves every alias to its anchor in one pass, as yaml would (the last node before the alias
 * with that anchor, in document order): yaml itself scans every anchor and alias before each alias
 * it resolves, which took minutes for a file of 50,000 anchors each used once. Aliases without an
 * anchor before them are returned as problems.
 */
function resolveAliases(doc: Document.Parsed): { count: number; unresolved: OffsetProblem[] } {
  const latest = new Map<string, Node>();
  const unresolved: OffsetProblem[] = [];
  let count = 0;
  forEachNode(doc, (node) => {
    if (isAlias(node)) {
      count++;
      const target = latest.get(node.source);
      if (target === undefined) {
        const [start, end] = node.range ?? [0, 1];
        unresolved.push({ offset: start, length: end - start, code: 'yaml-aliases', message: `the alias *${node.source} refers to no anchor &${node.source} before it`, hint: 'an anchor (&name) must come before the aliases (*name) that repeat it' });
      }
      (node as Alias & { resolve: Alias['resolve'] }).resolve = () => target as ReturnType<Alias['resolve']>;
    } else if (node.anchor) {
      latest.set(node.anchor, node);
    }
  });
  return { count, unresolved };
}

/**
 * Aliases repeat their anchor's whole value, so a small file can stand for an enormous one (a
 * "billion laughs"). The values are counted as if every alias were written out, each distinct
 * mapping or list measured once; beyond MAX_ALIAS_VALUES the file is refused, at the place where
 * the largest repeated value is used.
 */
function expansionProblem(data: unknown): PathProblem | undefined {
  const size = new Map<object, number>();
  const uses = new Map<object, number>();
  // Depth is at most MAX_NESTING here (resolvedDepthProblem ran) and there are no cycles.
  const measure = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    uses.set(v, (uses.get(v) ?? 0) + 1);
    const known = size.get(v);
    if (known !== undefined) return known;
    let total = 1;
    for (const child of Object.values(v)) total = Math.min(Number.MAX_SAFE_INTEGER, total + measure(child));
    size.set(v, total);
    return total;
  };
  const total = measure(data);
  if (total <= MAX_ALIAS_VALUES) return undefined;
  // From the top, follow the largest value down to the first one used more than once: an alias.
  const path: PropertyKey[] = [];
  let node = data as object;
  for (;;) {
    let best: [PropertyKey, object] | undefined;
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object' && (!best || size.get(child)! > size.get(best[1])!)) best = [Array.isArray(node) ? Number(key) : key, child];
    }
    if (!best) break;
    path.push(best[0]);
    node = best[1];
    if ((uses.get(node) ?? 0) > 1) break;
  }
  return {
    path,
    code: 'yaml-aliases',
    message: `aliases expand this file to ${total >= Number.MAX_SAFE_INTEGER ? 'more than 9,007,199,254,740,991' : `${total.toLocaleString('en-US')}`} values; the limit is ${MAX_ALIAS_VALUES.toLocaleString('en-US')}`,
    hint: 'an alias (*name) repeats its anchor\'s whole value wherever it is used: alias smaller pieces, or write the repeated parts out',
  };
}

/** Keys given twice in one mapping, at the second one (yaml's DUPLICATE_KEY, in linear time). */
function duplicateKeys(doc: Document.Parsed): OffsetProblem[] {
  const found: OffsetProblem[] = [];
  forEachNode(doc, (map) => {
    if (!isMap(map)) return;
    const seen = new Set<string>();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (seen.has(name)) {
        const [start, end] = pair.key.range ?? [0, 1];
        found.push({ offset: start, length: end - start, code: 'yaml-syntax', message: `the key "${name}" appears twice in this mapping`, hint: 'each key may appear once per mapping' });
      }
      seen.add(name);
    }
  });
  return found;
}

/**
 * Calls `fn` on every node of the document (mappings, lists, scalars, aliases; a key before its
 * value), parents before children, in document order: as yaml's visit does, without the frozen
 * copy of the path it makes at every node (a fifth of the loader's own time on a 1 MB file).
 */
function forEachNode(doc: Document.Parsed, fn: (node: Node) => void): void {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const next = stack.pop();
    if (isPair(next)) {
      stack.push(next.value, next.key);
    } else if (isNode(next)) {
      fn(next);
      if (isCollection(next)) for (let i = next.items.length - 1; i >= 0; i--) stack.push(next.items[i]);
    }
  }
}

/**
 * Runs yaml's parser or composer without stack traces: it makes an Error per problem, and a file of
 * broken lines has hundreds of thousands, whose stacks (never shown) were most of the time spent.
 */
function withoutStacks<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Composes the parser's tokens into one document, as parseDocument does. */
function composeOne(tokens: CST.Token[], text: string): Document.Parsed {
  // yaml's own duplicate-key check compares every key with every other (quadratic: a 1 MB mapping
  // of distinct keys took minutes); duplicateKeyProblems does it with a set per mapping.
  const composer = new Composer({ uniqueKeys: false, strict: true });
  skipRepeatedErrors(composer);
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'the file holds more than one YAML document (a second `---`); a scenario is one document'));
      break;
    }
  }
  return doc!;
}

/** Where yaml's composer places an error (its getErrorPos): the start offset is what matters here. */
type ErrorSource = number | readonly [number, number] | readonly [number, number, number] | { offset: number };
type ErrorHandler = (source: ErrorSource, code: string, message: string, warning?: boolean) => void;

/**
 * Keeps only the composer errors loadScenarioText would show: the first with each message, and not
 * a second one at the same place. A file of broken lines makes an error per line (150,000 in 1 MB,
 * all alike), and building each as an Error object was a third of the time spent on it. The
 * composer's error callback is an instance field in yaml 2.x; if it is not there, nothing changes.
 */
function skipRepeatedErrors(composer: Composer): void {
  const target = composer as unknown as { onError?: ErrorHandler };
  const record = target.onError;
  if (typeof record !== 'function') return;
  const seen = new Set<string>();
  target.onError = (source, code, message, warning) => {
    if (warning) return record(source, code, message, warning);
    const start = typeof source === 'number' ? source : Array.isArray(source) ? (source as readonly number[])[0]! : (source as { offset: number }).offset;
    const again = seen.has(message) || seen.has(`@${start}`);
    seen.add(message).add(`@${start}`);
    if (!again) record(source, code, message, warning);
  };
}

/**
 * Where a YAML error's caret goes, and how wide: yaml places a badly indented key's error at the
 * line's first column, in its indentation; the caret goes under the key itself, which is what moved.
 */
function indentedStart(e: YamlSyntaxError, text: string): [number, number] {
  let start = e.pos[0];
  if (e.code === 'BAD_INDENT') while (text[start] === ' ') start++;
  return [start, Math.max(1, e.pos[1] - start)];
}

/**
 * yaml reports a quoted string that is never closed where the text ends, and what it makes of the
 * rest of the file as errors of their own. Said where the quote opens, and, like an unclosed `[` or
 * `{`, without the errors that follow from it (which only point at lines that are fine).
 */
interface YamlSyntaxError {
  code: string;
  message: string;
  pos: readonly [number, number];
}

function unclosedFirst(errors: readonly YamlSyntaxError[], text: string): YamlSyntaxError[] {
  const moved = errors.map((e): YamlSyntaxError => {
    const quote = e.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(e.message)?.[1] : undefined;
    if (quote === undefined) return e;
    const opens = openingQuote(text, quote, e.pos[0]);
    return opens === undefined ? e : { code: e.code, message: e.message, pos: [opens, opens + 1] };
  });
  const unclosed = moved.filter((e) => (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) || /^Flow (map|sequence) .*end with/.test(e.message));
  if (unclosed.length === 0) return moved;
  const from = Math.min(...unclosed.map((e) => e.pos[0]));
  return moved.filter((e) => e.pos[0] <= from || unclosed.includes(e));
}

/** The offset of the quote that opens the string still open at `before`: the last one before it that is not escaped. */
function openingQuote(text: string, quote: string, before: number): number | undefined {
  for (let i = Math.min(before, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    // `\"` inside a double-quoted string, `''` inside a single-quoted one: part of the string
    if (quote === '"' && text[i - 1] === '\\') continue;
    if (quote === "'" && (text[i - 1] === "'" || text[i + 1] === "'")) {
      i--;
      continue;
    }
    return i;
  }
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** The whole line of `text` that holds offset `pos`. */
function lineAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  const end = text.indexOf('\n', pos);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * A hint from the line itself for the slips YAML words least helpfully (its message is about
 * implicit keys or compact mappings): a tab in the indentation, a dash or colon with no space
 * after it, a value holding ": ", a missing comma in `{ }`.
 */
function hintFromLine(message: string, line: string): string | undefined {
  if (/^[ ]*\t/.test(line)) return 'this line is indented with a tab: indent with spaces only';
  if (/^\s*-[^\s-]/.test(line)) return 'a list item starts with a dash and a space: `- at: 0`';
  const glued = /^\s*(?:-\s+)?([A-Za-z_$][\w$.-]*):(?=[^\s:/])/.exec(line);
  if (glued) return `put a space after the colon: \`${glued[1]}: ...\` (without one YAML reads \`${glued[1]}:...\` as one word)`;
  // In `{ }`, `id: e1 region: x` (a comma missing) and `msg: Error code: 5` (a value to quote) are
  // the same text to a reader of the line: the hint names both.
  if (/Block collections are not allowed within flow collections|Missing , between flow map items|Unexpected scalar at node end/.test(message) && line.includes('{')) {
    return 'in `{ }` the entries are separated by commas (`{ id: e1, region: us-east-1 }`), and a value holding ": " is put in quotes (`msg: "Error code: 5"`)';
  }
  if (/^\s*(?:-\s+)?[\w$.-]+:\s+[^'"{\[|>&*!#\s][^#]*?:(\s|$)/.test(line)) {
    return 'a value holding ": " reads as a nested mapping: put the value in quotes (`description: "Note: this breaks"`), or put the mapping on lines of its own, indented under its key';
  }
  return undefined;
}

function hintForYamlError(code: string, message: string, line = ''): string | undefined {
  const fromLine = code === 'DUPLICATE_KEY' ? undefined : hintFromLine(message, line);
  if (fromLine !== undefined) return fromLine;
  if (/Flow sequence .*end with a \]/.test(message)) return 'a `[` list opened above is not closed with `]` before this line';
  if (/Flow map .*end with a \}/.test(message)) return 'a `{` mapping opened above is not closed with `}` before this line';
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per mapping';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a line below this value is indented deeper than its key\'s siblings: keys of one mapping start at the same column';
    case 'BAD_INDENT':
      return 'check the indentation: nested keys are indented under their parent';
    case 'MISSING_CHAR':
      return /quote/.test(message) ? 'the string that opens here has no closing quote' : 'a quote or bracket is not closed';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    default:
      return undefined;
  }
}

/**
 * The problems as printed: each once, in file order; the first MAX_PROBLEMS in full, with their
 * "did you mean" computed now, and the rest counted in one closing problem. A generated file can
 * hold tens of thousands of mistakes, and a person reads the first ones.
 */
function shown(problems: Located[], at: ReturnType<typeof locator>): ScenarioProblem[] {
  const all = dedupe(problems);
  const out = all.slice(0, MAX_PROBLEMS).map(({ suggest: near, ...problem }): ScenarioProblem => (near ? { ...problem, hint: `${problem.hint ?? ''}${suggest(near.key, near.from)}` } : problem));
  if (all.length > MAX_PROBLEMS) {
    out.push(at.offset(0, 1, 'more-problems', `${all.length - MAX_PROBLEMS} more problems in this file are not shown`, `fix the ${MAX_PROBLEMS} above and run again`));
  }
  return out;
}

function dedupe<T extends ScenarioProblem>(problems: T[]): T[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const k = `${p.line}:${p.col}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * A required key is often missing because it is misspelled (`regoins:`, `distribtion:`): name the
 * unknown keys of a mapping that lacks one, and drop the "missing" problem when a near miss explains it.
 */
function withNearMisses(problems: PathProblem[], data: unknown): PathProblem[] {
  const out = [...problems];
  const pathKey = (path: DocPath) => path.map(String).join('\u0000');
  const unknownAt = new Set(problems.filter((p) => p.code === 'unknown-key').map((p) => pathKey(p.path)));
  const explained = new Set<PathProblem>();
  for (const missing of problems.filter((p) => p.code === 'missing-key' && p.missingKey !== undefined)) {
    const value = valueAt(data, missing.path);
    const allowed = allowedKeysAt(scenarioSchema, missing.path);
    if (!allowed || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    if (isOpenMappingAt(scenarioSchema, missing.path)) {
      // Other keys are the item's own attributes: only a near miss of the missing key is worth a word.
      const nearMiss = Object.keys(value).find((k) => isNear(k, missing.missingKey!));
      if (nearMiss !== undefined) missing.hint = `${missing.hint ?? ''}; found "${nearMiss}" (keys are case-sensitive)`.replace(/^; /, '');
      continue;
    }
    const where = missing.path.length ? ` in ${describePath(missing.path)}` : ' at the top level';
    const expected = `expected one of ${allowed.join(', ')}`;
    for (const key of Object.keys(value).filter((k) => !allowed.includes(k))) {
      if (!unknownAt.has(pathKey([...missing.path, key]))) {
        unknownAt.add(pathKey([...missing.path, key]));
        out.push({ path: [...missing.path, key], atKey: true, code: 'unknown-key', message: `unknown key "${key}"${where}`, hint: expected, suggestFrom: allowed });
      }
      if (suggests(key, allowed, missing.missingKey!)) explained.add(missing);
    }
  }
  return out.filter((p) => !explained.has(p));
}

/**
 * One bad value, one problem: zod reports a value both for the type or range of a union branch
 * and for a refinement after it (a duration over 365 days that is also over a Lambda limit, a
 * whole number beyond 2^53 that is also over its own maximum). The last one at a path is the
 * most specific (the refinement, the field's own limit) and is kept.
 */
function onePerValue(problems: PathProblem[]): PathProblem[] {
  const isValueProblem = (p: PathProblem) => (p.code === 'wrong-value' || p.code === 'wrong-type') && !p.atKey;
  const last = new Map<string, PathProblem>();
  for (const p of problems) if (isValueProblem(p)) last.set(p.path.map(String).join('\u0000'), p);
  return problems.filter((p) => !isValueProblem(p) || last.get(p.path.map(String).join('\u0000')) === p);
}

/** zod's type names as a scenario's reader knows them. */
const TYPE_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  // the only tuple of the format: a range's bounds
  tuple: 'a pair [lo, hi], e.g. between: [0, 2s]',
  null: 'null',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** A range problem in words, for zod's default messages ("Too big: expected int to be <=…"). */
function rangeWords(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (!big && limit === 1) return 'may not be empty';
      return big ? `at most ${limit} characters` : `at least ${limit} characters`;
    case 'array':
    case 'set':
      return big ? `at most ${limit} entries` : `at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
    case 'int':
      if (Math.abs(limit) === Number.MAX_SAFE_INTEGER) return `a whole number from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
      return big ? `a whole number of at most ${limit}` : `a whole number of at least ${limit}`;
    default:
      if (big) return inclusive ? `at most ${limit}` : `less than ${limit}`;
      return inclusive ? `at least ${limit}` : `more than ${limit}`;
  }
}

/** zod's messages that were not written for this schema: they start like this. */
function isZodDefault(message: string): boolean {
  return /^(Too (big|small)|Invalid (input|string|option|element|discriminator|value|key|union|type))/.test(message);
}

/** Turns one zod issue into located-by-path problems with wording for people. */
function issueProblems(issue: z.core.$ZodIssue, data: unknown): PathProblem[] {
  const path = issue.path;
  const where = describePath(path);
  switch (issue.code) {
    case 'invalid_key': {
      // a mapping's key that its schema refuses (a region name misspelt as a key of clocks or
      // expect.regions): said of the key, with the declared regions near it, not of its value
      const key = String(path[path.length - 1]);
      const wanted = issue.issues[0]?.message ?? 'a valid key';
      const region = /region name/.test(wanted);
      const regions = valueAt(data, ['regions']);
      const declared = region && Array.isArray(regions) ? regions.filter((r): r is string => typeof r === 'string') : [];
      return [
        {
          path,
          atKey: true,
          code: 'bad-key',
          message: `"${key}" is not ${region ? 'a region name' : 'a valid key'} in ${describePath(path.slice(0, -1))}: expected ${wanted}`,
          ...(declared.length > 0 ? { hint: `declared regions: ${declared.join(', ')}`, suggestFrom: declared } : {}),
        },
      ];
    }
    case 'unrecognized_keys': {
      const mixed = mixedFormProblem(path, valueAt(data, path));
      if (mixed) return [mixed];
      const allowed = allowedKeysAt(scenarioSchema, path);
      const expected = allowed ? `expected one of ${allowed.join(', ')}` : undefined;
      const parent = valueAt(data, path);
      return issue.keys.map((key): PathProblem => {
        // YAML 1.1's merge key, which the YAML 1.2 reader takes for a key named "<<"
        if (key === '<<') return { path: [...path, key], atKey: true, code: 'merge-key', message: `YAML merge keys (\`<<: *anchor\`) are not read in ${path.length ? where : 'a scenario'}`, hint: 'write the keys out, or give a whole value an anchor (data: *base)' };
        const owner = emptyOwnerOf(parent, path, key);
        if (owner !== undefined) {
          return { path: [...path, key], atKey: true, code: 'unknown-key', message: `unknown key "${key}"${path.length ? ` in ${where}` : ' at the top level'}`, hint: `"${key}" is a key of \`${owner}:\` above, whose value is empty: indent it under \`${owner}:\`` };
        }
        return {
          path: [...path, key],
          atKey: true,
          code: 'unknown-key',
          message: `unknown key "${key}"${path.length ? ` in ${where}` : ' at the top level'}`,
          ...(allowed ? { hint: expected, suggestFrom: allowed } : {}),
        };
      });
    }
    case 'invalid_type': {
      const found = valueAt(data, path);
      if (found === undefined) {
        // a key a merge key (`<<: *base`) was meant to bring: the merge key's own problem says why
        const parent = valueAt(data, path.slice(0, -1));
        if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, '<<')) return [];
        return [
          {
            path: path.slice(0, -1),
            atKey: false,
            code: 'missing-key',
            missingKey: String(path[path.length - 1]),
            message: `missing required key "${String(path[path.length - 1])}"${path.length > 1 ? ` in ${describePath(path.slice(0, -1))}` : ''}`,
            hint: `add \`${String(path[path.length - 1])}:\` (${typeName(issue.expected)})`,
          },
        ];
      }
      if (typeof found === 'number' && !Number.isFinite(found)) return [nonFinite(path, found)];
      // `region:` with nothing after it, where only a region name goes (put, read, a fault...), as in a union (event, retry)
      const missing = found === null ? missingScalar(path, data) : undefined;
      if (missing) return [missing];
      // a lag given as a plain number (as `serve --lag` takes one) is a fixed lag: say how to write it
      const lagHint = path[path.length - 1] === 'lag' && typeof found === 'number' ? `a fixed lag is written {distribution: fixed, ms: ${found}}` : undefined;
      // `event:` with its keys on the lines below at its own column: the mapping is empty
      const emptyHint = found === null && issue.expected === 'object' ? emptyValueHint(path) : undefined;
      // `Id: {S: A}`: DynamoDB JSON where a scenario takes the plain value
      const wireHint = issue.expected === 'string' || issue.expected === 'number' || issue.expected === 'boolean' ? dynamoJsonHint(String(path[path.length - 1]), found) : undefined;
      const rangeHint = misplacedRange(path, found) ?? lagHint ?? emptyHint ?? wireHint;
      return [{ path, code: 'wrong-type', message: `${where}: expected ${typeName(issue.expected)}, found ${describeValue(found)}`, ...(rangeHint !== undefined ? { hint: rangeHint } : {}) }];
    }
    case 'invalid_union': {
      // A mapping whose key no alternative knows (e.g. `notexists:` in a condition): name that key.
      const value = valueAt(data, path);
      if (value === undefined) return issueProblems({ ...issue, code: 'invalid_type', expected: 'a value', input: undefined } as unknown as z.core.$ZodIssue, data);
      const mixed = mixedFormProblem(path, value);
      if (mixed) return [mixed];
      const allowed = allowedKeysAt(scenarioSchema, path);
      if (allowed && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
        if (unknown.length > 0) {
          const expected = `expected one of ${allowed.join(', ')}`;
          return unknown.map((key) => ({
            path: [...path, key],
            atKey: true,
            code: 'unknown-key',
            message: `unknown key "${key}" in ${where}`,
            hint: expected,
            suggestFrom: allowed,
          }));
        }
      }
      if (typeof value === 'number' && !Number.isFinite(value)) return [nonFinite(path, value)];
      // `at:` with nothing after it: a time is missing, not a mapping's keys (though a range may stand there)
      const missing = value === null ? missingScalar(path, data) : undefined;
      if (missing) return [missing];
      const discriminator = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator.discriminator !== undefined && Array.isArray(discriminator.options)) {
        // the problem is placed at the discriminator itself (`distribution: fixd`) or at its mapping
        const given = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[discriminator.discriminator] : value;
        const near = typeof given === 'string' ? suggest(given, discriminator.options.filter((o): o is string => typeof o === 'string')) : '';
        return [{ path, code: 'wrong-value', message: `${where}: found ${describeValue(value)}`, hint: `expected one of ${discriminator.options.map((o) => JSON.stringify(o)).join(', ')}${near}` }];
      }
      // Prefer the branch that got furthest into the value (e.g. the right discriminator but a bad field).
      const deeper = issue.errors
        .filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0))
        .sort((a, b) => a.length - b.length)[0];
      if (deeper) return deeper.flatMap((i) => issueProblems({ ...i, path: [...path, ...i.path] } as z.core.$ZodIssue, data));
      // null where a mapping may go is most likely one left empty; where none may (`env: { Z: null }`), a value written as null
      const hint = value === null ? (allowed !== undefined ? emptyValueHint(path) : nullValueHint(path)) : hintFor(path, value);
      return [
        {
          path,
          code: 'wrong-value',
          message: `${where}: ${issue.message === 'Invalid input' ? 'not a valid value' : issue.message}, found ${describeValue(value)}`,
          ...(hint !== undefined ? { hint } : {}),
        },
      ];
    }
    case 'invalid_value': {
      const found = valueAt(data, path);
      // a near miss of one of the values (`client-lw`): named, as a misspelt key is
      const near = typeof found === 'string' ? suggest(found, issue.values.filter((v): v is string => typeof v === 'string')) : '';
      return [
        {
          path,
          code: 'wrong-value',
          message: `${where}: found ${describeValue(found)}`,
          hint: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${path.length === 1 && path[0] === 'mode' ? MODE_WORDS : ''}${near}`,
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const message = isZodDefault(issue.message) ? rangeWords(issue) : issue.message;
      return [{ path, code: 'wrong-value', message: `${where}: ${message}, found ${describeValue(valueAt(data, path))}` }];
    }
    case 'invalid_format':
    case 'custom':
    default: {
      const found = valueAt(data, path);
      // not in `regions` itself, whose names are what is being declared
      const hint = issue.message === REGION_FORMAT && path[0] !== 'regions' ? declaredRegionsHint(found, data) : undefined;
      return [{ path, code: 'wrong-value', message: `${where}: ${isZodDefault(issue.message) ? 'not a valid value' : issue.message}, found ${describeValue(found)}`, ...(hint !== undefined ? { hint } : {}) }];
    }
  }
}

/** A malformed region name (`us-east1`): the declared regions, the nearest first named, as an undeclared one gets. */
function declaredRegionsHint(found: unknown, data: unknown): string | undefined {
  const regions = valueAt(data, ['regions']);
  if (!Array.isArray(regions) || regions.length === 0 || !regions.every((r): r is string => typeof r === 'string' && regionName.safeParse(r).success)) return undefined;
  const near = typeof found === 'string' ? suggest(found, regions) : '';
  return `declared regions: ${regions.join(', ')}${near}`;
}

/** What AWS calls the modes (a global table's MultiRegionConsistency), beside the names a scenario gives them. */
const MODE_WORDS = " (AWS's MultiRegionConsistency: STRONG is mrsc, EVENTUAL is mrec)";

/** `.nan`, `.inf`: YAML numbers that no field takes. */
function nonFinite(path: DocPath, value: number): PathProblem {
  return { path, code: 'wrong-value', message: `${describePath(path)}: found ${String(value)}, which is not a number geosim or DynamoDB can use`, hint: `.nan and .inf are not numbers in a scenario${Number.isNaN(value) ? '' : ', nor is a number too large for a double (1e400 reads as Infinity)'}` };
}

/** What an empty value (null) where a mapping belongs most likely is: a key with nothing indented under it, or a dash with nothing after it. */
function emptyValueHint(path: DocPath): string | undefined {
  const last = path[path.length - 1];
  if (last === undefined) return undefined;
  if (typeof last === 'number') return 'this list item is empty: write the entry (`- at: 0 ...`), or remove the item';
  return `nothing is indented under \`${String(last)}:\`: its keys go on the lines below, indented deeper than it`;
}

/**
 * An empty value (null) of a key that takes a time or a region name: what is missing, with an
 * example (the declared regions for a region), instead of the hints for an empty mapping or string.
 */
function missingScalar(path: DocPath, data: unknown): PathProblem | undefined {
  const where = describePath(path);
  const takes = (value: unknown) => acceptsAt(scenarioSchema, path, value);
  // durations with limits of their own (a Lambda timeout is whole seconds) take one of these
  if ([1000, 60_000].some(takes) && ['1s', '1m'].some(takes) && !takes('x')) {
    const what = path[path.length - 1] === 'at' ? 'a time' : 'a duration';
    const range = takes({ between: [0, 1] }) ? ', or a range { between: [lo, hi] }' : '';
    const examples = takes(500) ? '500ms or 2s' : '2s or 1m';
    return { path, code: 'wrong-value', message: `${where}: ${what} is missing (e.g. ${examples}), found nothing`, hint: `write a number of ms or one with a unit (${takes(500) ? '500ms, ' : ''}2s, 1m, 1h)${range}` };
  }
  if (takes('us-east-1') && !takes('x') && !takes(1000)) {
    // not in `regions` itself, whose names are what is being declared
    const declared = path[0] === 'regions' ? undefined : declaredRegionsHint(undefined, data);
    return { path, code: 'wrong-value', message: `${where}: a region name is missing (e.g. us-east-1), found nothing`, hint: declared ?? 'a region name such as us-east-1' };
  }
  return undefined;
}

/** A null where no mapping may go: the value is missing, or `null` was written for one. */
function nullValueHint(path: DocPath): string | undefined {
  const last = path[path.length - 1];
  if (last === undefined || typeof last === 'number') return undefined;
  return `\`${String(last)}:\` has no value (null): write one (\`''\` for an empty string), or remove the key`;
}

/**
 * The key of `parent` (at `path`) whose value is empty (null) and which takes `key`: the mapping
 * `key` was meant for, written under it without the indentation (`event:` and then `id: e1` at
 * the same column).
 */
function emptyOwnerOf(parent: unknown, path: DocPath, key: string): string | undefined {
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
  for (const [name, value] of Object.entries(parent)) {
    if (value !== null) continue;
    if (allowedKeysAt(scenarioSchema, [...path, name])?.includes(key)) return name;
  }
  return undefined;
}

/** What a value that no branch took should be: a range where none may vary says where they may. */
function hintFor(path: DocPath, value: unknown): string | undefined {
  return misplacedRange(path, value) ?? unionHint(path);
}

/** Where `{ between }` or `{ oneOf }` stands where no value may vary: where they may. */
function misplacedRange(path: DocPath, value: unknown): string | undefined {
  const last = path[path.length - 1];
  const inFaultOrStep = path[0] === 'faults' || path[0] === 'steps';
  // a step's or fault's `at` (path steps[i].at, faults[i].at), a clock-skew fault's `skew` (faults[i].clockSkew.skew)
  const rangeAllowed = inFaultOrStep && ((last === 'at' && path.length === 3) || (last === 'skew' && path[0] === 'faults'));
  if (isBetween(value) && !rangeAllowed) return "a range ({ between: [lo, hi] }) may stand for a step's or a fault's at and a clock-skew fault's skew only";
  const choiceAllowed = path[0] === 'steps' && last === 'region' && (path[2] === 'event' || path[2] === 'retry');
  if (isOneOf(value) && !choiceAllowed) return "a choice ({ oneOf: [...] }) may stand for an event's or a retry's region only";
  return undefined;
}

function unionHint(path: DocPath): string | undefined {
  const last = path[path.length - 1];
  if (last === 'lag' || path.includes('lag'))
    return 'a lag is {distribution: fixed, ms} | {distribution: uniform, min, max} | {distribution: normal, mean, stddev} | {distribution: exponential, mean} | {distribution: sequence, ms: [..]}';
  if (path.includes('condition')) return 'a condition is one of {notExists: attr}, {exists: attr}, {equals: {attr: value}}, {lessThan: {attr: n}}, {and: [...]}, {or: [...]}';
  if (last === 'at' || last === 'skew' || last === 'consumerDelay' || last === 'requestLatency') return 'a duration is a number of ms or a string like "250ms", "1.5s", "2m", "6h", "2d"';
  if (path.length === 3 && path[0] === 'application' && path[1] === 'env') return 'an environment variable is a string (a number or true/false is written as one): Lambda passes nothing else';
  return undefined;
}


export function describePath(path: DocPath): string {
  if (path.length === 0) return 'the scenario';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${quoted(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(data: unknown, path: DocPath): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

function locator(text: string, file: string, lineCounter: LineCounter, doc: Document | undefined) {
  const lines = text.split(/\r?\n/);
  const offset = (start: number, length: number, code: string, message: string, hint?: string): ScenarioProblem => {
    const { line, col } = lineCounter.linePos(Math.min(start, Math.max(0, text.length - 1)));
    return {
      file,
      line,
      col,
      length: Math.max(1, length),
      code,
      message,
      ...(hint ? { hint } : {}),
      sourceLine: lines[line - 1] ?? '',
    };
  };
  const path = (p: PathProblem): Located => {
    const range: [number, number] = doc ? rangeOf(doc, p.path, p.atKey ?? false) : [0, 1];
    const located: Located = offset(range[0], range[1] - range[0], p.code, p.message, p.hint);
    if (p.suggestFrom) located.suggest = { key: String(p.path[p.path.length - 1]), from: p.suggestFrom };
    return located;
  };
  return { offset, path };
}

const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A mapping's pairs by key, built once per mapping: a file with many problems looks up many keys. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items) if (isPair(it) && isScalar(it.key) && !index.has(String(it.key.value))) index.set(String(it.key.value), it);
    pairIndex.set(map, index);
  }
  return index;
}

/** Finds the source range of the node (or its key) at `path`, falling back to the nearest ancestor. */
function rangeOf(doc: Document, path: DocPath, atKey: boolean): [number, number] {
  let node: unknown = doc.contents;
  let range: [number, number] = [0, 1];
  const rangeOfNode = (n: unknown): [number, number] | undefined => {
    const r = (n as Node | undefined)?.range;
    if (!r) return undefined;
    // Collections span to their end; underline only their first line's worth.
    if (isMap(n) || isSeq(n)) return [r[0], Math.min(r[1], r[0] + 1)];
    return [r[0], r[1]];
  };
  range = rangeOfNode(node) ?? range;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(key));
      if (!pair) return range;
      if (last && atKey) return rangeOfNode(pair.key) ?? range;
      range = rangeOfNode(pair.value) ?? rangeOfNode(pair.key) ?? range;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) return range;
      range = rangeOfNode(item) ?? range;
      node = item;
    } else {
      return range;
    }
  }
  return range;
}
