/**
 * A checker of the Trace Event Format (the catapult document "Trace Event Format", JSON object
 * form), written from the spec, not from geosim's output: what a document must hold for
 * chrome://tracing and Perfetto's JSON importer to load it as meant. Returns the problems found;
 * none means valid.
 *
 * Beyond the letter of the spec, three rules the viewers need in practice:
 * - slices on one thread are properly nested or disjoint (Perfetto misnests or drops a slice that
 *   overlaps another partly);
 * - a flow end binds to a slice: `s` (always) and `f` with `bp: "e"` to the slice enclosing their
 *   timestamp on their thread, strictly inside it, so that the order a viewer sorts events of equal
 *   timestamps in cannot change the binding;
 * - every thread and process used is named (M events), a tid belongs to one pid, and no tid is
 *   a pid (Perfetto's importer puts an event without a tid on thread `tid = pid`).
 */
export interface Validation {
  problems: string[];
  /** Flow ids with one start and one finish. */
  flows: number;
  counts: Record<string, number>;
}

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'N', 'O', 'D', 'M', 'V', 'v', 'R', 'c', '(', ')']);
const METADATA = new Set(['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index']);

type Ev = Record<string, unknown>;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => isNum(v) && Number.isInteger(v);

export function validateTrace(doc: unknown): Validation {
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  const problem = (i: number, text: string) => {
    if (problems.length < 50) problems.push(`traceEvents[${i}]: ${text}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { problems: ['the document is not a JSON object'], flows: 0, counts };
  const { traceEvents, displayTimeUnit, otherData } = doc as Record<string, unknown>;
  if (!Array.isArray(traceEvents)) return { problems: ['traceEvents is not an array'], flows: 0, counts };
  if (displayTimeUnit !== undefined && displayTimeUnit !== 'ms' && displayTimeUnit !== 'ns') problems.push(`displayTimeUnit ${String(displayTimeUnit)}: must be "ms" or "ns"`);
  if (otherData !== undefined && (typeof otherData !== 'object' || otherData === null || Array.isArray(otherData))) problems.push('otherData is not an object');

  const slices = new Map<string, { start: number; end: number; i: number }[]>();
  const threadNames = new Set<string>();
  const processNames = new Set<number>();
  const usedThreads = new Map<string, number>();
  const usedPids = new Set<number>();
  const tidPid = new Map<number, number>();
  const flowEnds = new Map<string, { s: { ts: number; thread: string; i: number }[]; t: { ts: number; thread: string; i: number }[]; f: { ts: number; thread: string; i: number; bp?: unknown }[]; key: string }>();

  for (const [i, raw] of traceEvents.entries()) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problem(i, 'not an object');
      continue;
    }
    const e = raw as Ev;
    const ph = e.ph;
    if (typeof ph !== 'string' || !PHASES.has(ph)) {
      problem(i, `ph ${JSON.stringify(ph)} is not a phase of the format`);
      continue;
    }
    counts[ph] = (counts[ph] ?? 0) + 1;
    if (e.name !== undefined && typeof e.name !== 'string') problem(i, 'name is not a string');
    if (e.cat !== undefined && typeof e.cat !== 'string') problem(i, 'cat is not a string');
    if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null || Array.isArray(e.args))) problem(i, 'args is not an object');
    if (!isInt(e.pid)) problem(i, 'pid is not an integer');
    const needsTid = ph !== 'C' && !(ph === 'i' && (e.s === 'p' || e.s === 'g')) && !(ph === 'M' && String(e.name).startsWith('process_'));
    if (needsTid && !isInt(e.tid)) problem(i, 'tid is not an integer');
    if (e.tid !== undefined && isInt(e.tid) && isInt(e.pid)) {
      const owner = tidPid.get(e.tid);
      if (owner !== undefined && owner !== e.pid) problem(i, `tid ${e.tid} is used in pid ${owner} and pid ${e.pid}`);
      tidPid.set(e.tid, e.pid);
    }
    const thread = `${String(e.pid)}/${String(e.tid)}`;
    if (ph === 'M') {
      if (!METADATA.has(String(e.name))) problem(i, `metadata ${String(e.name)} is not one the format defines`);
      const args = (e.args ?? {}) as Ev;
      if ((e.name === 'process_name' || e.name === 'thread_name') && typeof args.name !== 'string') problem(i, `${String(e.name)} without args.name`);
      if ((e.name === 'process_sort_index' || e.name === 'thread_sort_index') && !isInt(args.sort_index)) problem(i, `${String(e.name)} without an integer args.sort_index`);
      if (e.name === 'process_name' && isInt(e.pid)) processNames.add(e.pid);
      if (e.name === 'thread_name') threadNames.add(thread);
      continue;
    }
    if (!isNum(e.ts) || e.ts < 0) {
      problem(i, `ts ${JSON.stringify(e.ts)} is not a number of µs ≥ 0`);
      continue;
    }
    if (isInt(e.pid)) usedPids.add(e.pid);
    if (needsTid) usedThreads.set(thread, i);
    if (typeof e.name !== 'string' || e.name === '') problem(i, `a ${ph} event needs a name`);
    switch (ph) {
      case 'X': {
        if (!isNum(e.dur) || e.dur < 0) {
          problem(i, 'X without a dur ≥ 0');
          break;
        }
        const list = slices.get(thread) ?? [];
        list.push({ start: e.ts, end: e.ts + e.dur, i });
        slices.set(thread, list);
        break;
      }
      case 'i':
      case 'I':
        if (e.s !== undefined && e.s !== 'g' && e.s !== 'p' && e.s !== 't') problem(i, `instant scope ${JSON.stringify(e.s)}: must be g, p or t`);
        break;
      case 'C': {
        const args = e.args as Ev | undefined;
        if (!args || Object.keys(args).length === 0) problem(i, 'a counter needs args: its series and their values');
        else for (const [k, v] of Object.entries(args)) if (!isNum(v)) problem(i, `counter series ${k} is not a number`);
        break;
      }
      case 's':
      case 't':
      case 'f': {
        if (!isInt(e.id) && typeof e.id !== 'string') {
          problem(i, 'a flow event needs an id');
          break;
        }
        if (e.bp !== undefined && e.bp !== 'e') problem(i, `bp ${JSON.stringify(e.bp)}: the format defines only "e"`);
        const key = `${String(e.cat)}\u0000${String(e.name)}\u0000${String(e.id)}`;
        const flow = flowEnds.get(key) ?? { s: [], t: [], f: [], key: String(e.id) };
        if (ph === 's') flow.s.push({ ts: e.ts, thread, i });
        else if (ph === 't') flow.t.push({ ts: e.ts, thread, i });
        else flow.f.push({ ts: e.ts, thread, i, bp: e.bp });
        flowEnds.set(key, flow);
        break;
      }
      default:
        break;
    }
  }

  for (const [thread, list] of slices) {
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    const open: { start: number; end: number; i: number }[] = [];
    for (const s of list) {
      while (open.length > 0 && open[open.length - 1]!.end <= s.start) open.pop();
      const parent = open[open.length - 1];
      if (parent && s.end > parent.end) problem(s.i, `slice ${s.start}..${s.end} on ${thread} overlaps traceEvents[${parent.i}] (${parent.start}..${parent.end}) partly`);
      open.push(s);
    }
  }
  const enclosed = (thread: string, ts: number): boolean => (slices.get(thread) ?? []).some((s) => s.start < ts && ts < s.end);
  let flows = 0;
  for (const flow of flowEnds.values()) {
    const first = flow.s[0] ?? flow.f[0];
    const at = first ? first.i : -1;
    if (flow.s.length !== 1 || flow.f.length !== 1) {
      problem(at, `flow ${flow.key} has ${flow.s.length} start(s) and ${flow.f.length} finish(es); needs one of each`);
      continue;
    }
    const [s] = flow.s as [(typeof flow.s)[0]];
    const [f] = flow.f as [(typeof flow.f)[0]];
    if (f.ts < s.ts) problem(f.i, `flow ${flow.key} finishes (${f.ts}) before it starts (${s.ts})`);
    if (!enclosed(s.thread, s.ts)) problem(s.i, `flow ${flow.key} starts where no slice of its thread encloses it`);
    if (f.bp === 'e' && !enclosed(f.thread, f.ts)) problem(f.i, `flow ${flow.key} finishes where no slice of its thread encloses it`);
    // A step (`t`) binds to the slice enclosing it, between the flow's start and finish.
    for (const t of flow.t) {
      if (t.ts < s.ts || t.ts > f.ts) problem(t.i, `flow ${flow.key} steps (${t.ts}) outside its start (${s.ts}) and finish (${f.ts})`);
      if (!enclosed(t.thread, t.ts)) problem(t.i, `flow ${flow.key} steps where no slice of its thread encloses it`);
    }
    flows++;
  }
  for (const [thread, i] of usedThreads) if (!threadNames.has(thread)) problem(i, `thread ${thread} has no thread_name`);
  for (const [tid, pid] of tidPid) if (processNames.has(tid) || usedPids.has(tid)) problems.push(`tid ${tid} (of pid ${pid}) is also a pid`);
  for (const pid of usedPids) if (!processNames.has(pid)) problems.push(`pid ${pid} has no process_name`);
  return { problems, flows, counts };
}
