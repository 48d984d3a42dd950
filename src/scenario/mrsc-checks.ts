import type { PathProblem } from './problems.js';

/** The consistency modes of a global table: the one list (the schema and `geosim compare` read it). */
export const MODES = ['mrec', 'mrsc'] as const;
export type Mode = (typeof MODES)[number];

/**
 * The region sets AWS allows an MRSC global table in (aws-semantics §2): its replicas and witness
 * all lie in one set, a table cannot span two.
 */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

/** The sets as one line, for messages: "US (us-east-1, us-east-2, us-west-2); EU (…); AP (…)". */
export function regionSetsText(): string {
  return Object.entries(MRSC_REGION_SETS)
    .map(([name, regions]) => `${name} (${regions.join(', ')})`)
    .join('; ');
}

/** What the MRSC checks read of a parsed scenario (the schema's output). */
export interface MrscInput {
  mode: Mode;
  regions: string[];
  witness?: string | undefined;
  tables?: ReadonlyArray<{ TimeToLiveSpecification?: { Enabled?: boolean } | undefined; LocalSecondaryIndexes?: unknown }> | undefined;
  /** `ttlDelay` already in ms (absent or 0: none). */
  ttlDelayMs?: number;
  /**
   * Whether the file itself wrote `application.idempotencyTtlSeconds` for the built-in application
   * (the schema fills in a default, so the parsed value cannot say; next to `module` the key is
   * refused already, as the built-in application's).
   */
  idempotencyTtlWritten?: boolean;
  replication?: { coalesce?: boolean; unchangedWrites?: string | undefined };
}

/**
 * The load checks of `mode: mrsc` (exit 2, each at its line:col): exactly three regions, or two and
 * a witness elsewhere; all of them in one of AWS's MRSC region sets; no table with TTL or local
 * secondary indexes (MRSC supports neither). A witness on an MREC scenario is a mistake worth saying.
 */
export function mrscProblems(s: MrscInput): PathProblem[] {
  const problems: PathProblem[] = [];
  if (s.mode !== 'mrsc') {
    if (s.witness !== undefined) problems.push({ path: ['witness'], code: 'witness-without-mrsc', message: 'a witness belongs to an MRSC global table; this scenario is mode: mrec', hint: 'add `mode: mrsc`, or remove `witness`', atKey: true });
    return problems;
  }
  const count = s.regions.length;
  if (s.witness === undefined && count !== 3) {
    problems.push({
      path: ['regions'],
      code: 'mrsc-regions',
      message: `an MRSC global table spans exactly three regions: three replicas, or two and a witness; found ${count} region${count === 1 ? '' : 's'} and no witness`,
      hint: count === 2 ? 'add `witness: <a third region of the same set>`, or a third region' : 'list three regions, or two and `witness:`',
    });
  }
  if (s.witness !== undefined && count !== 2) {
    problems.push({ path: ['witness'], code: 'mrsc-regions', message: `a witness goes with exactly two replica regions; found ${count}`, hint: count === 3 ? 'with three regions, leave `witness` out' : 'list two regions and the witness, or three regions and no witness', atKey: true });
  }
  if (s.witness !== undefined && s.regions.includes(s.witness)) {
    problems.push({ path: ['witness'], code: 'mrsc-witness-replica', message: `the witness must be in a region without a replica; ${s.witness} is one of regions`, hint: 'pick the third region of the set' });
  }
  // (a witness that is also a replica region is said on its own: it is named once here)
  const all = s.witness !== undefined && !s.regions.includes(s.witness) ? [...s.regions, s.witness] : s.regions;
  const sets = new Set(all.map((r) => setOf(r) ?? `none:${r}`));
  if (sets.size > 1 || [...sets].some((k) => k.startsWith('none:'))) {
    const outside = all.filter((r) => setOf(r) === undefined);
    problems.push({
      path: s.witness !== undefined && setOf(s.witness) !== setOf(s.regions[0] ?? '') && s.regions.every((r) => setOf(r) === setOf(s.regions[0] ?? '')) ? ['witness'] : ['regions'],
      code: 'mrsc-region-set',
      message: `MRSC allows a global table only inside one region set, found ${all.join(', ')}${outside.length > 0 ? ` (${outside.join(', ')} in no set)` : ' (more than one set)'}`,
      hint: `the sets: ${regionSetsText()}`,
    });
  }
  if (s.mode === 'mrsc' && (s.ttlDelayMs ?? 0) > 0) {
    problems.push({ path: ['ttlDelay'], code: 'mrsc-ttl', message: 'MRSC global tables do not support Time to Live: ttlDelay has nothing to delay', hint: 'remove ttlDelay, or use mode: mrec', atKey: true });
  }
  // The built-in application writes no ExpiresAt on MRSC, so its records never expire: silently
  // dropping the key made a retry past the written expiry a duplicate on MRSC where MREC (and the
  // file) said it is processed again, and `geosim compare --modes mrec,mrsc` credited that to MRSC.
  if (s.idempotencyTtlWritten === true) {
    problems.push({
      path: ['application', 'idempotencyTtlSeconds'],
      code: 'mrsc-ttl',
      message: 'MRSC global tables do not support Time to Live: idempotency records get no ExpiresAt and never expire, so idempotencyTtlSeconds has nothing to set',
      hint: 'remove idempotencyTtlSeconds (on MRSC a retry of an event is a duplicate however late it comes), or use mode: mrec',
      atKey: true,
    });
  }
  // AWS: "Streams records on MRSC replicas are identical for every replica, including Stream record
  // ordering"; combining quick changes into one replicated write is MREC's (aws-semantics §1.2, §2).
  // Taken on MRSC, it dropped versions from the stream of a replica that did not confirm the writes.
  if (s.replication?.coalesce === true) {
    problems.push({
      path: ['replication', 'coalesce'],
      code: 'mrsc-coalesce',
      message: "MRSC replicates every change: each replica's stream holds the same records, so no write is coalesced (combining changes is MREC's)",
      hint: 'remove coalesce, or use mode: mrec',
      atKey: true,
    });
  }
  // An MRSC write is confirmed by a quorum before it answers: it is not last-writer-wins'
  // to settle, so the question unchangedWrites answers for MREC does not arise.
  if (s.replication?.unchangedWrites === 'skip') {
    problems.push({
      path: ['replication', 'unchangedWrites'],
      code: 'mrsc-unchanged-writes',
      message: 'unchangedWrites: skip is for MREC, where a replicated write takes part in last-writer-wins; an MRSC write is confirmed by a quorum before it answers',
      hint: 'remove unchangedWrites, or use mode: mrec',
      atKey: true,
    });
  }
  s.tables?.forEach((t, i) => {
    if (t.TimeToLiveSpecification?.Enabled === true) {
      problems.push({ path: ['tables', i, 'TimeToLiveSpecification'], code: 'mrsc-ttl', message: 'MRSC global tables do not support Time to Live', hint: 'remove TimeToLiveSpecification, or use mode: mrec', atKey: true });
    }
    if (t.LocalSecondaryIndexes !== undefined) {
      problems.push({ path: ['tables', i, 'LocalSecondaryIndexes'], code: 'mrsc-lsi', message: 'MRSC global tables do not support local secondary indexes', hint: 'use a global secondary index with the same keys, or mode: mrec', atKey: true });
    }
  });
  return problems;
}

function setOf(region: string): string | undefined {
  for (const [name, regions] of Object.entries(MRSC_REGION_SETS)) if (regions.includes(region)) return name;
  return undefined;
}
