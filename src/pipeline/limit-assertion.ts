import type { AssertionResult, RunStop } from '../trace/report.js';

/**
 * The one assertion a run (or a serve session) stopped at one of its limits fails, instead of the
 * end-of-run checks: the world never settled, so they would judge a state nobody meant to check.
 */
export function limitAssertion(stop: RunStop, of: 'run' | 'session' = 'run'): AssertionResult {
  if (stop.limit === 'horizon') {
    return {
      name: 'run finished within its horizon (--horizon)',
      source: 'limit',
      passed: false,
      expected: `nothing due more than ${stop.horizon}ms after the last scripted step or fault (${stop.scriptedEnd}ms)`,
      actual: `work still due at ${stop.nextDue}ms`,
      detail: 'the run was stopped at its virtual-time horizon; raise it with --horizon if the scenario needs longer',
    };
  }
  if (stop.limit === 'sync-limit') {
    return {
      name: 'handler yielded within its sync limit (--sync-limit)',
      source: 'limit',
      passed: false,
      expected: `every slice of the handler's code yields within ${stop.syncLimit}ms of wall-clock time`,
      actual: `${stop.handler} ran past it without yielding (a synchronous loop?)`,
      detail: 'geosim cannot interrupt a synchronous loop: it stopped there, and ran no scenario after this one; raise the limit with --sync-limit if the handler needs longer',
    };
  }
  // a serve session keeps serving past its limit: only its trace stops
  const session = of === 'session';
  return {
    name: 'run finished within its trace limit (--max-trace-events)',
    source: 'limit',
    passed: false,
    expected: `at most ${stop.maxTraceEvents} trace events`,
    actual: session ? `more than ${stop.maxTraceEvents} trace events` : `more than ${stop.maxTraceEvents} trace events, with work still due`,
    detail: session
      ? `the session kept serving, and its trace holds only its first ${stop.maxTraceEvents} events; raise the limit with --max-trace-events`
      : 'the run was stopped when its trace passed the limit; raise it with --max-trace-events if the scenario needs more',
  };
}

