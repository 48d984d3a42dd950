import { Document, isMap, isScalar, isSeq, stringify, type Node as YamlNode } from 'yaml';
import { durationMs } from '../scenario/schema.js';
import { shellWord } from '../scenario/printable.js';

/** How a failure was found and how to rerun it: the comment at the top of a repro file. */
export interface ReproHeader {
  /** The explored scenario, as given to `geosim explore`. */
  scenarioFile: string;
  /** The explore seed (`--seed`). */
  seed: number;
  /** The index of the failing run. */
  run: number;
  /** The replay token (`geosim explore --replay TOKEN`). */
  token: string;
  /** What failed: the failure signature, and how (its detail), if it says more. */
  signature: string;
  /** Where the repro is written: `geosim run <reproFile>` fails the same way; null when it could not be written. */
  reproFile: string | null;
}

/** Top-level keys in the order the shipped scenarios write them; any other key follows, as it came. */
const KEY_ORDER = ['name', 'description', 'seed', 'mode', 'regions', 'replication', 'indexLag', 'ttlDelay', 'clocks', 'application', 'lambda', 'stepFunctions', 'failover', 'faults', 'steps', 'expect', 'sometimes', 'explore'];
/** Keys that lead in nested maps: a step's time, a fault's window, a link's ends, a lag's distribution. */
const LEADING_KEYS = ['at', 'duration', 'until', 'from', 'to', 'distribution'];

/** Widest line a flow collection may make (the shipped scenarios' event lines reach about 110). */
const FLOW_WIDTH = 120;
/** A top-level section is written on one line only when it is short and flat: `application: { strategy: ..., idempotency: ... }`. */
const TOP_FLOW_WIDTH = 80;

type Plain = Record<string, unknown>;

/**
 * A concrete scenario input as a standalone scenario file: a comment saying how it was found, what
 * fails and the command that reruns it, then the scenario, keys in the usual order, durations in
 * ms or whole units ("2s", "5m"), short maps and lists on one line as the shipped scenarios write
 * them. Loading the text gives the same scenario as loading the input, so `geosim run` on the file
 * gives the same report.
 *
 * @example
 * writeFileSync(path, reproYaml(shrunk, { scenarioFile, seed, run, token, signature, reproFile: path }));
 */
export function reproYaml(input: Plain, header: ReproHeader): string {
  const comment = [
    `Found by geosim explore ${shellWord(header.scenarioFile)} --seed ${header.seed} (run ${header.run}, token ${header.token})`,
    `fails: ${header.signature}`,
    header.reproFile === null ? 'run it: save this as a file in the directory explore ran in, then geosim run <file> (explore could not write it)' : `run it: geosim run ${shellWord(header.reproFile)}`,
  ].map((line) => `# ${oneLine(line)}\n`);
  return comment.join('') + scenarioYaml(input);
}

/** The replay token `reproYaml` wrote in a repro's first comment line, if the text has one (read back by regressions). */
export function reproHeaderToken(text: string): string | undefined {
  return /^# Found by .*\btoken (gx1\.[A-Za-z0-9_-]+)\)$/.exec(text.split('\n', 1)[0]!)?.[1];
}

/** The scenario part of `reproYaml`, without the comment. */
export function scenarioYaml(input: Plain): string {
  const doc = new Document(ordered(withDurations(input)));
  if (!isMap(doc.contents)) return doc.toString({ lineWidth: 0 });
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as YamlNode | null;
    if (key === 'steps' && isSeq(value)) {
      // Each step a block map: its time on a line of its own, its action on the next.
      for (const step of value.items) if (isMap(step)) for (const p of step.items) styleFlow(p.value as YamlNode, 4 + keyText(p.key).length + 2);
    } else if (key === 'faults' && isSeq(value)) {
      for (const fault of value.items) styleFlow(fault as YamlNode, 4);
    } else if (isMap(value) || isSeq(value)) {
      const flat = children(value).every((child) => !isMap(child) && !isSeq(child));
      if (flat && (key.length + 2 + flowText(value) <= TOP_FLOW_WIDTH || isSeq(value))) value.flow = true;
      else if (isMap(value)) for (const p of value.items) styleFlow(p.value as YamlNode, 2 + keyText(p.key).length + 2);
      else for (const item of value.items) styleFlow(item as YamlNode, 4);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Writes a collection in flow style when it fits on its line from `column`, else its parts, recursively. */
function styleFlow(node: YamlNode | null, column: number): void {
  if (!isMap(node) && !isSeq(node)) return;
  // A list of plain values (a pinned lag sequence, regions) stays on one line however long: one per line reads worse.
  if (column + flowText(node) <= FLOW_WIDTH || (isSeq(node) && node.items.every((item) => isScalar(item)))) {
    node.flow = true;
    return;
  }
  if (isMap(node)) for (const p of node.items) styleFlow(p.value as YamlNode, column + 2 + keyText(p.key).length + 2);
  else for (const item of node.items) styleFlow(item as YamlNode, column + 2);
}

function children(node: YamlNode): unknown[] {
  if (isMap(node)) return node.items.map((p) => p.value);
  return isSeq(node) ? node.items : [];
}

function flowText(node: YamlNode): number {
  return stringify(node.toJSON(), { collectionStyle: 'flow', lineWidth: 0 }).trimEnd().length;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u0000-\u001f\u007f]+/g, ' ');
}

// ---- key order ------------------------------------------------------------------------------

function ordered(input: Plain): Plain {
  const keys = Object.keys(input);
  const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);
  const sorted = keys.map((k, i) => [k, i] as const).sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j);
  return Object.fromEntries(sorted.map(([k]) => [k, leading(input[k])]));
}

/** Nested maps with their leading keys first; everything else in the order it came. */
function leading(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(leading);
  if (!isPlainMap(value)) return value;
  const keys = Object.keys(value);
  const first = LEADING_KEYS.filter((k) => keys.includes(k));
  return Object.fromEntries([...first, ...keys.filter((k) => !first.includes(k))].map((k) => [k, leading(value[k])]));
}

function isPlainMap(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- durations ------------------------------------------------------------------------------

/** Where a scenario holds durations: field names per section (schema.ts `duration`/`signedDuration`). */
const LAG_FIELDS = ['ms', 'min', 'max', 'mean', 'stddev'];

/** A copy of the input with every duration written as ms, or as whole seconds, minutes, hours or days. */
function withDurations(input: Plain): Plain {
  const out = structuredClone(input);
  const at = (holder: unknown, fields: string[]) => {
    if (!isPlainMap(holder)) return;
    for (const f of fields) if (f in holder) holder[f] = Array.isArray(holder[f]) ? (holder[f] as unknown[]).map(durationText) : durationText(holder[f]);
  };
  at(out, ['indexLag', 'ttlDelay']);
  const replication = out.replication;
  if (isPlainMap(replication)) {
    at(replication.lag, LAG_FIELDS);
    if (Array.isArray(replication.links)) for (const link of replication.links) if (isPlainMap(link)) at(link.lag, LAG_FIELDS);
  }
  if (isPlainMap(out.clocks)) for (const clock of Object.values(out.clocks)) at(clock, ['skew']);
  const application = out.application;
  if (isPlainMap(application)) {
    at(application, ['consumerDelay', 'requestLatency']);
    if (isPlainMap(application.latency)) at(application.latency, Object.keys(application.latency));
    else at(application, ['latency']);
    at(application.stream, ['retryDelay', 'maximumRecordAge', 'maximumBatchingWindow']);
  }
  at(out.lambda, ['timeout', 'visibilityTimeout', 'retryDelay', 'maximumRecordAge', 'maximumBatchingWindow']);
  if (isPlainMap(out.stepFunctions)) {
    at(out.stepFunctions, ['stateDuration']);
    at(out.stepFunctions.retry, ['interval']);
  }
  at(out.failover, ['after']);
  if (Array.isArray(out.faults)) {
    for (const fault of out.faults) {
      if (!isPlainMap(fault)) continue;
      at(fault, ['at', 'duration', 'until']);
      at(fault.pauseReplication, ['continuesFor']);
      at(fault.clockSkew, ['skew']);
    }
  }
  if (Array.isArray(out.steps)) for (const step of out.steps) at(step, ['at']);
  return out;
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** 1500 → 1500, 2000 → "2s", 300000 → "5m", -2000 → "-2s"; what is not a duration (a range, -1) stays. */
function durationText(value: unknown): unknown {
  if (typeof value !== 'number' && typeof value !== 'string') return value;
  let ms: number;
  try {
    ms = durationMs(value);
  } catch {
    return value;
  }
  if (ms === 0 || ms === -1 || !Number.isInteger(ms)) return ms;
  const unit = UNITS.find(([, size]) => ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : ms;
}
