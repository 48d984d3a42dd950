import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../src/scenario/load.js';

function problems(yaml: string) {
  const result = loadScenarioText(yaml, 'faults.yaml');
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => ({ at: `${p.line}:${p.col}`, code: p.code, message: p.message, hint: p.hint }));
}

const HEAD = `regions: [us-east-1, eu-west-1]
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: X, data: { v: 1 } } }
`;

describe('fault section validation (errors located at file:line:col)', () => {
  it('refuses a region listed twice in failover.regions, and a check step that asks for nothing (both were accepted; the check printed passed)', () => {
    const failover = problems(`${HEAD}failover: { after: 300ms, regions: [eu-west-1, eu-west-1] }\n`);
    expect(failover).toEqual([expect.objectContaining({ code: 'duplicate-region', message: 'eu-west-1 is already in failover.regions: a client tries each region once' })]);
    for (const check of ['{}', '{ name: only a name }', '{ name: empty maps, counts: {}, items: {} }', '{ name: a region and nothing of it, regions: { us-east-1: {} }, counts: {} }']) {
      const found = problems(`${HEAD}  - { at: 5, check: ${check} }\n`);
      expect(found).toEqual([expect.objectContaining({ at: '4:21', code: 'empty-check' })]);
    }
    expect(problems(`${HEAD}  - { at: 5, check: { name: only a name } }\n`)[0]!.message).toBe('this check ("only a name") asks for nothing: it would pass whatever the run did');
    expect(loadScenarioText(`${HEAD}  - { at: 5, check: { converged: false } }\n`, 'f.yaml').ok).toBe(true);
  });

  it('refuses a Lambda failure’s attempt that never happens (a fault that would never fire was accepted) or that is listed twice', () => {
    const direct = problems(`${HEAD}faults:\n  - { at: 0, duration: 10m, lambdaFailure: { event: e1, attempts: [1, 2] } }\n`);
    expect(direct).toEqual([expect.objectContaining({ at: '5:71', code: 'attempt-never-made', message: 'attempt 2 never happens: a direct (synchronous) invocation is attempted once per send: Lambda does not retry it' })]);
    const async = problems(`${HEAD}lambda: { invocation: async }\nfaults:\n  - { at: 0, duration: 10m, lambdaFailure: { attempts: [3, 7] } }\n`);
    expect(async).toEqual([expect.objectContaining({ code: 'attempt-never-made', message: 'attempt 7 never happens: an asynchronous invocation is attempted at most 3 times (1 + lambda.maximumRetryAttempts)', hint: 'attempts 1 to 3' })]);
    expect(problems(`${HEAD}lambda: { invocation: async }\nfaults:\n  - { at: 0, duration: 10m, lambdaFailure: { attempts: [1, 1] } }\n`)).toEqual([expect.objectContaining({ code: 'duplicate', message: 'attempt 1 is listed twice' })]);
    // a redrive takes a dead-lettered event again (attempt 4 and on); a stream retries until its record expires
    expect(loadScenarioText(`${HEAD}  - { at: 10m, redrive: {} }\nlambda: { invocation: async }\nfaults:\n  - { at: 0, duration: 10m, lambdaFailure: { attempts: [4] } }\n`, 'f.yaml').ok).toBe(true);
    expect(loadScenarioText(`${HEAD}lambda: { invocation: stream }\nfaults:\n  - { at: 0, duration: 10m, lambdaFailure: { attempts: [9] } }\n`, 'f.yaml').ok).toBe(true);
    expect(loadScenarioText(`${HEAD}lambda: { invocation: async, maximumRetryAttempts: 2 }\nfaults:\n  - { at: 0, duration: 10m, lambdaFailure: { attempts: [1, 2, 3] } }\n`, 'f.yaml').ok).toBe(true);
  });

  it('locates an unknown region, an endless pause and a fault with two kinds', () => {
    const found = problems(`${HEAD}faults:
  - at: 1s
    outage: { region: us-west-9 }
    duration: 1s
  - pauseReplication: { region: eu-west-1 }
  - at: 0
    duration: 1s
    outage: { region: eu-west-1 }
    clockSkew: { region: eu-west-1, skew: 1s }
`);
    expect(found).toEqual([
      expect.objectContaining({ at: '6:23', code: 'unknown-region' }),
      expect.objectContaining({ at: '8:5', code: 'endless-fault' }),
      expect.objectContaining({ at: '9:5', code: 'mixed-fault', message: 'a fault is one thing, found outage and clockSkew' }),
    ]);
  });

  it('rejects a Lambda failure naming an unknown event, and suggests the known ones', () => {
    const found = problems(`${HEAD}faults:
  - lambdaFailure: { event: nope }
`);
    expect(found).toEqual([expect.objectContaining({ at: '5:29', code: 'unknown-event', hint: 'events: e1' })]);
  });

  it('holds asynchronous retries to 0..2 and batches to streams (aws-semantics §6)', () => {
    const found = problems(`${HEAD}lambda:
  invocation: async
  maximumRetryAttempts: 3
  bisectBatchOnFunctionError: true
`);
    expect(found.map((p) => [p.at, p.code])).toEqual([
      ['6:25', 'bad-range'],
      ['7:3', 'stream-only'],
    ]);
  });

  it('refuses a redrive with no dead-letter queue and a window that ends before it starts', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]
faults:
  - { at: 5s, until: 2s, lambdaFailure: {} }
steps:
  - { at: 0, redrive: {} }
`);
    expect(found.map((p) => p.code)).toEqual(['ends-before-start', 'no-dead-letter-queue']);
  });

  it('takes a redrive for a team’s handler fed by EventBridge without a lambda section (its dead-letter queue is Lambda’s default; it was refused)', () => {
    const yaml = (event: string) => `regions: [us-east-1, eu-west-1]\napplication: { module: ./h.mjs, event: ${event} }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {} } }\n  - { at: 10m, redrive: { region: us-east-1 } }\n`;
    expect(loadScenarioText(yaml('eventbridge'), 'f.yaml', { checkModuleFiles: false }).ok).toBe(true);
    expect(problems(yaml('direct')).map((p) => p.code)).toEqual(['no-dead-letter-queue']);
  });

  it('suggests the right key for a misspelt fault key', () => {
    const found = problems(`${HEAD}faults:
  - { at: 0, duration: 1s, outtage: { region: us-east-1 } }
`);
    expect(found[0]).toMatchObject({ code: 'unknown-key' });
    expect(found[0]!.hint).toContain('did you mean "outage"');
  });

  it("hints the workflow Retry block's own keys, not the retry step's", () => {
    const found = problems(`${HEAD}stepFunctions: { retry: { intervall: 1s } }
`);
    expect(found[0]!.hint).toBe('expected one of interval, maxAttempts, backoffRate (did you mean "interval"?)');
  });

  it('accepts every fault kind with a valid window', () => {
    const result = loadScenarioText(
      `${HEAD}lambda: { invocation: stream, batchSize: 10, bisectBatchOnFunctionError: true, maximumRetryAttempts: 5 }
failover: { after: 1s, regions: [eu-west-1] }
faults:
  - { at: 1s, duration: 1m, pauseReplication: { region: eu-west-1, continuesFor: 5s } }
  - { at: 1s, until: 2s, pauseReplication: { from: us-east-1, to: eu-west-1 } }
  - { at: 1s, duration: 1s, outage: { region: us-east-1 } }
  - { lambdaFailure: { event: e1, attempts: [1, 2], probability: 0.5, error: timeout } }
  - { at: 3s, clockSkew: { region: eu-west-1, skew: -2s } }
expect: { lost: [e1] }
`,
      'ok.yaml',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.faults!.map((f) => `${f.kind}@${f.at}..${f.until ?? '∞'}`)).toEqual([
      'lambda-failure@0..∞',
      'pause-replication@1000..61000',
      'pause-replication@1000..2000',
      'outage@1000..2000',
      'clock-skew@3000..∞',
    ]);
    expect(result.scenario.lambda).toMatchObject({ invocation: 'stream', maximumRetryAttempts: 5, maximumRecordAge: 86_400_000 });
  });
});
