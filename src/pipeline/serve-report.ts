import { countTrace } from '../check/counts.js';
import { finalState, reportedLinks } from '../check/end-of-run.js';
import type { SessionRecord } from '../serve/session.js';
import type { RunReport } from '../trace/report.js';
import { limitAssertion } from './limit-assertion.js';

/**
 * A stopped `geosim serve` session as `geosim run` reports a run (for `--trace FILE`, which
 * `geosim diagram` and the views read): final items in canonical order and the counts of its trace.
 * Here in the pipeline, so serve/ (the live service) imports nothing of check/.
 */
export function serveReport(session: SessionRecord): RunReport {
  const s = session.scenario;
  return {
    scenario: { name: s.name, file: s.file, ...(s.description ? { description: s.description } : {}) },
    seed: session.seed,
    mode: s.mode ?? 'mrec',
    // The application is whatever talked to the endpoint: serve knows no strategy of its own.
    strategy: 'served',
    idempotency: 'the client’s',
    regions: [...s.regions],
    ...(s.witness !== undefined ? { witness: s.witness } : {}),
    lag: reportedLinks(s),
    backend: `geosim serve (time scale ${session.timeScale})`,
    trace: session.trace,
    final: finalState(session.snapshot, s.regions),
    // every table the session ended with, so the views show what a client wrote to its own tables
    ...(session.tables !== undefined ? { tables: Object.fromEntries(Object.entries(session.tables).map(([name, items]) => [name, finalState(items, s.regions)])) } : {}),
    counts: countTrace(session.trace),
    // a session cut short by its trace limit fails as a run so stopped does: its trace file says so, and report and diagram count it failed
    assertions: session.stopped ? [limitAssertion(session.stopped, 'session')] : [],
    endedAt: session.endedAt,
    ...(session.stopped ? { stopped: session.stopped } : {}),
  };
}
