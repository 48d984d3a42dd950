import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';

// Issue 10 item 19: every Lambda, stream and Step Functions setting is bounded by AWS's own limits
// (aws-semantics §5, §6), so no setting can make a run retry for ever. Sources: Lambda
// services-ddb-params (stream ESM), FunctionEventInvokeConfig (async), configuration-timeout
// (900 s), Step Functions concepts-error-handling (Retrier fields).
const HEAD = `regions: [us-east-1, eu-west-1]
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { v: 1 } } }
`;

function problems(yaml: string) {
  const result = loadScenarioText(HEAD + yaml, 'limits.yaml');
  return result.ok ? [] : result.problems;
}

describe('AWS limits of the lambda and stepFunctions settings', () => {
  it.each([
    ['lambda: { invocation: stream, maximumRecordAge: 1e300 }', 'lambda.maximumRecordAge', /MaximumRecordAgeInSeconds is -1 \(infinite\) or 60s to 604800s \(7 days\)/],
    ['lambda: { invocation: stream, maximumRecordAge: 10081m }', 'lambda.maximumRecordAge', /604800s/],
    ['lambda: { invocation: stream, maximumRecordAge: 59s }', 'lambda.maximumRecordAge', /60s to 604800s/],
    ['lambda: { invocation: stream, maximumRecordAge: -2 }', 'lambda.maximumRecordAge', /-1 \(infinite\)/],
    ['lambda: { invocation: stream, maximumRetryAttempts: 10001 }', 'lambda.maximumRetryAttempts', /-1 \(until the record expires\) to 10000/],
    ['lambda: { invocation: stream, batchSize: 10001 }', 'lambda.batchSize', /BatchSize .* 1 to 10000/],
    ['lambda: { invocation: stream, retryDelay: 0 }', 'lambda.retryDelay', /1ms to 1m/],
    ['lambda: { invocation: stream, retryDelay: 2m }', 'lambda.retryDelay', /1ms to 1m/],
    ['lambda: { invocation: async, timeout: 901s }', 'lambda.timeout', /1s to 900s \(15 minutes\)/],
    ['lambda: { invocation: async, timeout: 500ms }', 'lambda.timeout', /whole seconds/],
    ['lambda: { invocation: async, maximumRetryAttempts: 3 }', '', /0 to 2 times \(MaximumRetryAttempts, AWS Lambda limit\)/],
    ['stepFunctions: { retry: { maxAttempts: 100000000 } }', 'stepFunctions.retry.maxAttempts', /MaxAttempts is 0 to 99999999/],
    ['stepFunctions: { retry: { interval: 500ms } }', 'stepFunctions.retry.interval', /IntervalSeconds is a whole number of seconds, at least 1 .*a bare number is milliseconds/],
    ['stepFunctions: { retry: { backoffRate: 0.5 } }', 'stepFunctions.retry.backoffRate', /BackoffRate is at least 1.0/],
    ['stepFunctions: { stateDuration: 16m }', 'stepFunctions.stateDuration', /at most 900s/],
    ['application: { module: ./h.mjs, streamHandler: onChange, stream: { maximumBatchingWindow: 500ms } }', 'application.stream.maximumBatchingWindow', /MaximumBatchingWindowInSeconds is whole seconds, 0s to 300s/],
    ['application: { module: ./h.mjs, streamHandler: onChange, stream: { maximumBatchingWindow: 301s } }', 'application.stream.maximumBatchingWindow', /0s to 300s/],
  ])('%s is refused with its position and the limit', (yaml, path, message) => {
    const found = problems(yaml);
    expect(found).toHaveLength(1);
    // Schema problems start with their path; the async range depends on `invocation`, a semantic check.
    if (path) expect(found[0]!.message.startsWith(`${path}:`)).toBe(true);
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.line).toBe(4);
    expect(found[0]!.col).toBeGreaterThan(1);
  });

  it.each([
    'lambda: { invocation: stream, maximumRecordAge: -1, maximumRetryAttempts: -1, batchSize: 10000, retryDelay: 1ms }',
    'lambda: { invocation: stream, maximumRecordAge: 10080m, maximumRetryAttempts: 10000, retryDelay: 1m }',
    'lambda: { invocation: async, timeout: 900s, maximumRetryAttempts: 0 }',
    'stepFunctions: { stateDuration: 0, retry: { interval: 1s, maxAttempts: 99999999, backoffRate: 1 } }',
    'application: { module: ./h.mjs, streamHandler: onChange, stream: { maximumBatchingWindow: 5m } }',
  ])('%s (at the limits) is accepted', (yaml) => {
    expect(problems(yaml)).toEqual([]);
  });

  it('maximumRecordAge -1 means until the stream drops the record (24 h)', () => {
    const result = loadScenarioText(`${HEAD}lambda: { invocation: stream, maximumRecordAge: -1 }\n`, 'limits.yaml');
    expect(result.ok && result.scenario.lambda!.maximumRecordAge).toBe(86_400_000);
  });
});
