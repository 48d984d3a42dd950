import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioObject, loadScenarioText } from '../../src/scenario/load.js';

/** `application.module` (issue 13): the keys that go with it, the built-in keys it replaces, `event` against `lambda`. */
function load(application: string, extra = '') {
  return loadScenarioText(`regions: [us-east-1, eu-west-1]\napplication: ${application}\n${extra}steps:\n  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: i1, data: { v: 1 } } }\n`, '/work/s/orders.yaml');
}
function problems(application: string, extra = '') {
  const result = load(application, extra);
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, line: p.line, col: p.col, message: p.message }));
}

describe('application.module in a scenario', () => {
  it('resolves the module against the scenario file and applies the defaults', () => {
    const result = load('{ module: ./app/orders.ts, env: { TABLE_NAME: GlobalEventTable, RETRIES: 3 } }');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.application.module).toEqual({
      path: '/work/s/app/orders.ts',
      given: './app/orders.ts',
      handler: 'handler',
      event: 'direct',
      env: { TABLE_NAME: 'GlobalEventTable', RETRIES: '3' },
      latency: { 'us-east-1': 5, 'eu-west-1': 5 },
      stream: { batchSize: 100, maximumRetryAttempts: -1, bisectBatchOnFunctionError: false, retryDelay: 1000, maximumRecordAge: 86_400_000, maximumBatchingWindow: 0, reportBatchItemFailures: true },
      functionName: 'orders',
    });
    expect(result.scenario.lambda).toBeUndefined();
  });

  it('event: sqs sets up the SQS event source with AWS defaults; eventbridge is an asynchronous invocation', () => {
    const sqs = load('{ module: ./app.mjs, event: sqs, latency: { eu-west-1: 20ms } }');
    expect(sqs.ok && sqs.scenario.lambda).toMatchObject({ invocation: 'sqs', batchSize: 10, visibilityTimeout: 30_000, maxReceiveCount: 3, reportBatchItemFailures: true, maximumRetryAttempts: 0 });
    expect(sqs.ok && sqs.scenario.application.module?.latency).toEqual({ 'us-east-1': 5, 'eu-west-1': 20 });
    const eb = load('{ module: ./app.cjs, event: eventbridge }');
    expect(eb.ok && eb.scenario.lambda).toMatchObject({ invocation: 'async', maximumRetryAttempts: 2, deadLetterQueue: true });
    const api = load('{ module: ./app.js, event: apigateway }');
    expect(api.ok && api.scenario.lambda).toBeUndefined();
  });

  it('refuses the built-in application’s keys next to module, where the file wrote them', () => {
    expect(problems('{ module: ./app.ts, strategy: version, requestLatency: 5ms }')).toEqual([
      { code: 'built-in-only', line: 2, col: 34, message: "application.strategy belongs to geosim's built-in application, which application.module replaces" },
      { code: 'built-in-only', line: 2, col: 53, message: "application.requestLatency belongs to geosim's built-in application, which application.module replaces" },
    ]);
  });

  // Lambda refuses its reserved variables in a function's configuration; geosim replaced them silently
  it('refuses Lambda’s reserved variables in env, at their key, saying what to set instead', () => {
    const found = load('{ module: ./app.ts, env: { TABLE_NAME: T, AWS_LAMBDA_FUNCTION_NAME: payments, AWS_REGION: eu-west-1 } }');
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.problems.map((p) => [p.code, p.line, p.message, p.hint])).toEqual([
      ['reserved-env', 2, "AWS_LAMBDA_FUNCTION_NAME is one of Lambda's reserved variables: Lambda sets it, and refuses it in a function's configuration", 'set application.functionName instead'],
      ['reserved-env', 2, "AWS_REGION is one of Lambda's reserved variables: Lambda sets it, and refuses it in a function's configuration", 'geosim sets it to each region the handler runs in'],
    ]);
    expect(problems('{ module: ./app.ts, env: { TABLE_NAME: T, NODE_OPTIONS: x } }')).toEqual([]);
  });

  it('refuses the module keys without a module', () => {
    expect(problems('{ handler: main, event: sqs }').map((p) => [p.code, p.message])).toEqual([
      ['needs-module', 'application.handler configures your own handler module, and the scenario names none'],
      ['needs-module', 'application.event configures your own handler module, and the scenario names none'],
    ]);
  });

  it('refuses a lambda.invocation that contradicts application.event (exit 2 at load time)', () => {
    expect(problems('{ module: ./app.ts, event: sqs }', 'lambda: { invocation: async }\n')).toEqual([
      { code: 'event-contradiction', line: 3, col: 23, message: 'lambda.invocation async contradicts application.event sqs, which Lambda invokes as sqs' },
    ]);
    // Agreeing settings refine the event source.
    const ok = load('{ module: ./app.ts, event: sqs }', 'lambda: { invocation: sqs, batchSize: 5, timeout: 10s, visibilityTimeout: 60s }\n');
    expect(ok.ok && ok.scenario.lambda).toMatchObject({ invocation: 'sqs', batchSize: 5, timeout: 10_000, visibilityTimeout: 60_000 });
  });

  it('refuses SQS settings Lambda would refuse', () => {
    expect(problems('{ module: ./app.ts, event: sqs }', 'lambda: { batchSize: 50, timeout: 60s, visibilityTimeout: 30s }\n').map((p) => p.code)).toEqual(['sqs-batch', 'sqs-visibility']);
  });

  it('refuses a module it cannot load by its name, a stream block without a stream handler, an unknown latency region', () => {
    expect(problems('{ module: ./app.py, stream: { batchSize: 10 }, latency: { ap-south-1: 1ms } }').map((p) => p.code)).toEqual(['module-extension', 'needs-stream-handler', 'unknown-region']);
  });
});

describe('a module the scenario names that is not there', () => {
  const STEPS = 'steps:\n  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: i1, data: { v: 1 } } }\n';
  const dir = () => mkdtempSync(join(tmpdir(), 'geosim-module-files-'));

  it('is a problem at the line and column of application.module, naming the module (loadScenarioFile)', async () => {
    const at = dir();
    const file = join(at, 'orders.yaml');
    writeFileSync(file, `regions: [us-east-1, eu-west-1]\napplication:\n  module: ./src/nope.ts\n${STEPS}`);
    const result = await loadScenarioFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        file,
        line: 3,
        col: 11,
        length: 13,
        code: 'module-not-found',
        message: `the handler module "./src/nope.ts" does not exist (${join(at, 'src', 'nope.ts')})`,
        hint: "application.module is resolved against the scenario file's directory",
        sourceLine: '  module: ./src/nope.ts',
      },
    ]);
  });

  it('a directory is not a module; a merge module is looked for too; one that is there loads', async () => {
    const at = dir();
    mkdirSync(join(at, 'handler.ts'));
    writeFileSync(join(at, 'merge.ts'), 'export const merge = (a: unknown) => a;\n');
    const file = join(at, 's.yaml');
    writeFileSync(file, `regions: [us-east-1, eu-west-1]\napplication: { module: ./handler.ts }\n${STEPS}`);
    const dirResult = await loadScenarioFile(file);
    expect(!dirResult.ok && dirResult.problems.map((p) => [p.line, p.col, p.code, p.message])).toEqual([[2, 24, 'module-not-found', `the handler module "./handler.ts" is not a file (${join(at, 'handler.ts')})`]]);
    writeFileSync(file, `regions: [us-east-1, eu-west-1]\napplication: { strategy: custom, merge: { module: ./merges.ts } }\n${STEPS}`);
    const merge = await loadScenarioFile(file);
    expect(!merge.ok && merge.problems.map((p) => [p.line, p.col, p.code, p.hint])).toEqual([[2, 51, 'module-not-found', "application.merge.module is resolved against the scenario file's directory"]]);
    writeFileSync(file, `regions: [us-east-1, eu-west-1]\napplication: { strategy: custom, merge: { module: ./merge.ts } }\n${STEPS}`);
    expect((await loadScenarioFile(file)).ok).toBe(true);
  });

  it('an object (run() of the library) is placed in the YAML it would be, when asked; text alone is not looked for', () => {
    const at = dir();
    const data = { name: 'inline', regions: ['us-east-1', 'eu-west-1'], application: { module: './gone.mjs' }, steps: [{ at: 0, event: { id: 'e1', region: 'us-east-1', key: 'k1', item: 'i1', data: { v: 1 } } }] };
    const file = join(at, 'inline.yaml');
    const checked = loadScenarioObject(data, file, (d) => JSON.stringify(d, null, 1), { checkModuleFiles: true });
    expect(!checked.ok && checked.problems.map((p) => [p.code, p.sourceLine?.trim()])).toEqual([['module-not-found', '"module": "./gone.mjs"']]);
    expect(loadScenarioObject(data, file, (d) => JSON.stringify(d)).ok).toBe(true);
    expect(loadScenarioText(`regions: [us-east-1, eu-west-1]\napplication: { module: ./gone.mjs }\n${STEPS}`, file).ok).toBe(true);
  });

  it('a module geosim cannot load by its name is refused for that alone, not also looked for', async () => {
    const file = join(dir(), 's.yaml');
    writeFileSync(file, `regions: [us-east-1, eu-west-1]\napplication: { module: ./app.py }\n${STEPS}`);
    const result = await loadScenarioFile(file);
    expect(!result.ok && result.problems.map((p) => p.code)).toEqual(['module-extension']);
  });

  it('a module named without its extension, or in Lambda\'s file.export form, is told the file that is there', async () => {
    const d = dir();
    writeFileSync(join(d, 'orders.ts'), 'export const handler = async () => {};\n');
    const hintFor = async (application: string) => {
      const file = join(d, 's.yaml');
      writeFileSync(file, `regions: [us-east-1, eu-west-1]\napplication: ${application}\n${STEPS}`);
      const result = await loadScenarioFile(file);
      return result.ok ? undefined : result.problems.map((p) => [p.code, p.hint]);
    };
    expect(await hintFor('{ module: ./orders }')).toEqual([['module-extension', './orders.ts is there: module: ./orders.ts']]);
    expect(await hintFor('{ module: ./orders.handler }')).toEqual([['module-extension', 'Lambda\'s "file.export" is two keys here: module: ./orders.ts, handler: handler']]);
    expect(await hintFor('{ module: ./payments }')).toEqual([['module-extension', 'point module at the source file that exports the handler']]);
  });
});
