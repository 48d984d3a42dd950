import type { TraceEvent, TraceEventInput } from '../../../../src/trace/events.js';
import { SEQUENCE_LIMITS } from '../../../../src/render/mermaid/sequence-limits.js';
import { Context } from '../../../../src/render/mermaid/sequence-participants.js';
import { reportOf } from '../fixtures.js';

export const E = 'us-east-1';
export const W = 'eu-west-1';

/**
 * A trace (us-east-1 and eu-west-1) and the diagram Context over it, as sequenceDiagram makes
 * them: a step handler reads the whole trace through the Context (which events the client sent).
 */
export function traced(trace: TraceEventInput[]): { ctx: Context; events: TraceEvent[] } {
  const report = reportOf(trace);
  return { ctx: new Context(report, SEQUENCE_LIMITS), events: report.trace };
}

/** The one event of `kind` in `events`, typed as that kind. */
export function only<K extends TraceEvent['kind']>(events: TraceEvent[], kind: K, n = 0): Extract<TraceEvent, { kind: K }> {
  const found = events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind)[n];
  if (!found) throw new Error(`no ${kind} #${n} in the trace`);
  return found;
}
