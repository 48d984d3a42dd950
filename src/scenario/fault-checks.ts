import { effectiveInvocation } from './application-checks.js';
import type { PathProblem } from './problems.js';
import { DEFAULT_RETRY_ATTEMPTS, durationBounds, durationMs, FAULT_KINDS, type ScenarioParsed } from './schema.js';
import { rangeProblems } from './range-checks.js';

/**
 * A Lambda failure's attempt numbers that can happen: none twice, and none above the attempts the
 * invocation makes of one send (a direct call is attempted once; an asynchronous one 1 +
 * maximumRetryAttempts times, unless a redrive step takes it again). Such a fault would never fire.
 */
function attemptProblems(s: ScenarioParsed, attempts: readonly number[], path: PathProblem['path']): PathProblem[] {
  const seen = new Set<number>();
  for (const [i, n] of attempts.entries()) {
    if (seen.has(n)) return [{ path: [...path, i], code: 'duplicate', message: `attempt ${n} is listed twice` }];
    seen.add(n);
  }
  const invocation = effectiveInvocation(s) ?? 'direct';
  const redrives = s.steps.some((step) => step.redrive !== undefined);
  // a workflow's processor, a stream's or a queue's retries and redrives go further: not bounded here
  if (s.stepFunctions !== undefined || redrives || (invocation !== 'direct' && invocation !== 'async')) return [];
  const most = invocation === 'direct' ? 1 : 1 + (s.lambda?.maximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS.async);
  const index = attempts.findIndex((n) => n > most);
  if (index < 0) return [];
  const why = invocation === 'direct' ? 'a direct (synchronous) invocation is attempted once per send: Lambda does not retry it' : `an asynchronous invocation is attempted at most ${most} times (1 + lambda.maximumRetryAttempts)`;
  return [{ path: [...path, index], code: 'attempt-never-made', message: `attempt ${attempts[index]} never happens: ${why}`, hint: invocation === 'direct' ? "attempts count Lambda's tries of one send; a client's retry (a retry step, the timeline's \"attempt 2 of\") is a new send, tried once: to fail it, give the fault a window around it (at and until), or use invocation: async for Lambda's own retries" : `attempts 1 to ${most}` }];
}

/**
 * Rules for the fault, Lambda, Step Functions and failover sections (issue 7) that the schema alone
 * cannot state: one kind per fault, a window that ends after it starts, references to regions and
 * event ids, and the retry ranges AWS allows for each invocation type. Every problem has a path.
 */
export function faultProblems(s: ScenarioParsed, needRegion: (region: string, path: PathProblem['path'], atKey?: boolean, orWitness?: boolean) => void): PathProblem[] {
  const problems: PathProblem[] = [];
  // MRSC's witness holds no replica, but it is a region that can go down or be cut off: its quorum
  // is what an outage or a replication pause of it takes away (aws-semantics §2, "Availability")
  const needFaultRegion = (region: string, path: PathProblem['path']) => {
    if (s.witness === undefined || region !== s.witness) needRegion(region, path, false, true);
  };
  const events = new Set(s.steps.flatMap((step) => (step.event ? [step.event.id] : [])));
  const eventList = [...events].join(', ') || 'none';
  const needEvent = (id: string, path: PathProblem['path']) => {
    if (!events.has(id)) problems.push({ path, code: 'unknown-event', message: `no event has id "${id}"`, hint: `events: ${eventList}` });
  };

  s.faults?.forEach((fault, i) => {
    const base = ['faults', i] as const;
    const kinds = FAULT_KINDS.filter((k) => fault[k] !== undefined);
    if (kinds.length !== 1) {
      problems.push({
        path: [...base],
        code: kinds.length === 0 ? 'empty-fault' : 'mixed-fault',
        message: kinds.length === 0 ? 'a fault needs one kind besides its times' : `a fault is one thing, found ${kinds.join(' and ')}`,
        hint: `one of ${FAULT_KINDS.join(', ')}`,
      });
      return;
    }
    // With a range, what depends on the value drawn is checked again before each run (load.ts).
    problems.push(...rangeProblems(fault.at, [...base, 'at']));
    if (fault.clockSkew) problems.push(...rangeProblems(fault.clockSkew.skew, [...base, 'clockSkew', 'skew']));
    // A window's end is checked against the latest start a range allows: a fault that could end
    // before it starts is refused here rather than in some runs only.
    const at = fault.at !== undefined ? durationBounds(fault.at)[1] : 0;
    if (fault.duration !== undefined && fault.until !== undefined) {
      problems.push({ path: [...base, 'until'], atKey: true, code: 'duration-and-until', message: 'give `duration` or `until`, not both' });
    }
    if (fault.until !== undefined && durationMs(fault.until) <= at) {
      problems.push({ path: [...base, 'until'], code: 'ends-before-start', message: `the fault ends (${durationMs(fault.until)}ms) before it ${fault.at !== undefined && durationBounds(fault.at)[0] !== at ? 'may start' : 'starts'} (${at}ms)` });
    }
    if (fault.duration !== undefined && durationMs(fault.duration) === 0) {
      problems.push({ path: [...base, 'duration'], code: 'zero-duration', message: 'a fault lasts longer than 0ms' });
    }
    const ends = fault.duration !== undefined || fault.until !== undefined;
    if (fault.pauseReplication) {
      const p = fault.pauseReplication;
      const path = [...base, 'pauseReplication'] as const;
      if (p.region !== undefined && (p.from !== undefined || p.to !== undefined)) {
        problems.push({ path: [...path], code: 'pause-target', message: 'pause one region (`region`) or one link (`from` and `to`), not both' });
      } else if (p.region === undefined && (p.from === undefined || p.to === undefined)) {
        problems.push({ path: [...path], code: 'pause-target', message: 'a replication pause needs `region`, or both `from` and `to`' });
      }
      if (p.region !== undefined) needFaultRegion(p.region, [...path, 'region']);
      if (p.from !== undefined) needFaultRegion(p.from, [...path, 'from']);
      if (p.to !== undefined) needFaultRegion(p.to, [...path, 'to']);
      if (p.from !== undefined && p.from === p.to) problems.push({ path: [...path, 'to'], code: 'self-link', message: `a link goes between two different regions, found ${p.from} to itself` });
      // FIS takes a duration (aws-semantics §3): an endless pause could never drain or converge.
      if (!ends) problems.push({ path: [...base], code: 'endless-fault', message: 'a replication pause needs `duration` or `until`', hint: 'FIS pauses take a duration, e.g. duration: 30s' });
    }
    if (fault.outage) {
      needFaultRegion(fault.outage.region, [...base, 'outage', 'region']);
      if (!ends) problems.push({ path: [...base], code: 'endless-fault', message: 'an outage needs `duration` or `until`', hint: 'e.g. duration: 1m' });
    }
    if (fault.lambdaFailure) {
      const f = fault.lambdaFailure;
      if (f.region !== undefined) needRegion(f.region, [...base, 'lambdaFailure', 'region']);
      if (f.event !== undefined) needEvent(f.event, [...base, 'lambdaFailure', 'event']);
      if (f.attempts !== undefined) problems.push(...attemptProblems(s, f.attempts, [...base, 'lambdaFailure', 'attempts']));
    }
    if (fault.clockSkew) needRegion(fault.clockSkew.region, [...base, 'clockSkew', 'region']);
  });

  const lambda = s.lambda;
  const invocation = effectiveInvocation(s);
  if (lambda?.maximumRetryAttempts !== undefined) {
    const n = lambda.maximumRetryAttempts;
    // aws-semantics §6.2: PutFunctionEventInvokeConfig allows 0..2; §6.1: an ESM allows -1..10000.
    if (invocation === 'async' && (n < 0 || n > 2)) {
      problems.push({ path: ['lambda', 'maximumRetryAttempts'], code: 'bad-range', message: `asynchronous invocation retries 0 to 2 times (MaximumRetryAttempts, AWS Lambda limit), found ${n}` });
    }
    if (invocation === 'sqs') {
      problems.push({ path: ['lambda', 'maximumRetryAttempts'], code: 'bad-range', message: 'an SQS event source retries a message until its receives reach maxReceiveCount', hint: 'use lambda.maxReceiveCount' });
    }
    if (invocation === 'direct' && n !== 0) {
      problems.push({
        path: ['lambda', 'maximumRetryAttempts'],
        code: 'bad-range',
        message: 'a direct (synchronous) invocation is not retried by Lambda',
        hint: s.application.module !== undefined ? 'your handler is invoked synchronously (application.event direct or apigateway): use application.event: eventbridge for retries' : 'use invocation: async or stream',
      });
    }
  }
  if (lambda && invocation !== 'stream' && (lambda.bisectBatchOnFunctionError || (lambda.batchSize !== undefined && invocation !== 'sqs'))) {
    const where = s.application.module !== undefined ? 'application.event: sqs (or application.stream for your stream handler)' : 'invocation: stream or sqs';
    problems.push({ path: ['lambda', lambda.bisectBatchOnFunctionError ? 'bisectBatchOnFunctionError' : 'batchSize'], atKey: true, code: 'stream-only', message: lambda.bisectBatchOnFunctionError ? (s.application.module !== undefined ? 'batches are bisected only for a stream: application.stream.bisectBatchOnFunctionError configures your stream handler' : 'batches are bisected only for invocation: stream') : `batches exist only with ${where}` });
  }
  if (lambda && invocation !== 'stream' && durationMs(lambda.maximumBatchingWindow) > 0) {
    const hint = s.application.module !== undefined ? 'application.stream.maximumBatchingWindow configures your stream handler' : 'use invocation: stream';
    problems.push({ path: ['lambda', 'maximumBatchingWindow'], atKey: true, code: 'stream-only', message: "a batching window gathers a stream's records: it applies to invocation: stream only", hint });
  }
  if (s.stepFunctions && invocation !== undefined && invocation !== 'direct') {
    problems.push({ path: ['lambda', 'invocation'], code: 'entry-conflict', message: 'with stepFunctions the workflow invokes the processor synchronously', hint: 'drop lambda.invocation, or drop stepFunctions' });
  }
  s.failover?.regions?.forEach((r, i) => {
    needRegion(r, ['failover', 'regions', i]);
    if (s.failover!.regions!.indexOf(r) !== i) problems.push({ path: ['failover', 'regions', i], code: 'duplicate-region', message: `${r} is already in failover.regions: a client tries each region once` });
  });
  s.expect?.lost?.forEach((id, i) => needEvent(id, ['expect', 'lost', i]));

  // (a team's handler fed by EventBridge, SQS or a stream has Lambda's defaults without a lambda section)
  const dlqPossible = lambda !== undefined || s.stepFunctions !== undefined || (invocation !== undefined && invocation !== 'direct');
  s.steps.forEach((step, i) => {
    if (!step.redrive) return;
    if (step.redrive.region !== undefined) needRegion(step.redrive.region, ['steps', i, 'redrive', 'region']);
    step.redrive.events?.forEach((id, j) => needEvent(id, ['steps', i, 'redrive', 'events', j]));
    if (!dlqPossible) {
      problems.push({ path: ['steps', i, 'redrive'], code: 'no-dead-letter-queue', message: 'nothing can reach a dead-letter queue without a `lambda` or `stepFunctions` section, or a handler fed by eventbridge, sqs or a stream' });
    }
  });
  return problems;
}
