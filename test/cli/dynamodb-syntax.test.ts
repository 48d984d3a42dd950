import { describe, expect, it } from 'vitest';
import { geosim, lastLine, tempFile } from '../helpers/cli.js';

// Steps in DynamoDB syntax through main(argv, io), as `geosim run` takes them (issue 11 item 8).
const tempScenario = (text: string) => tempFile('steps.yaml', text);

const HEADER = 'regions: [us-east-1, eu-west-1]\nreplication: { lag: { distribution: fixed, ms: 1000 } }\nsteps:\n';

describe('geosim run with steps in DynamoDB syntax', () => {
  it('scenarios/dynamodb-syntax.yaml: an expression update in us-east-1, read in eu-west-1 before and after the lag', async () => {
    const r = await geosim(['run', 'scenarios/dynamodb-syntax.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Before the lag eu-west-1 still has the put's item; after it, the update.
    expect(r.stdout).toMatch(/2s .*READ .*ORDER#1 \(eventual\) → .*status=new/);
    expect(r.stdout).toMatch(/3s .*READ .*ORDER#1 \(strong\) → .*status=shipped/);
    expect(r.stdout).toMatch(/QUERY .*IdempotencyIndex: IdempotencyKey = :k \(eventual\) → 1 item/);
    expect(lastLine(r.stdout)).toBe('1 passed, 0 failed');
  });

  it('the JSON trace carries the request of a read and the writes of World.call', async () => {
    const r = await geosim(['run', 'scenarios/dynamodb-syntax.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const trace = JSON.parse(r.stdout).scenarios[0].trace as Array<Record<string, unknown>>;
    expect(trace.find((e) => e.kind === 'read' && (e.request as { operation: string }).operation === 'Query')).toMatchObject({ items: [{ Id: 'ORDER#1', status: 'shipped' }] });
    expect(trace.filter((e) => e.kind === 'local-write').map((e) => [e.region, e.op, e.cause])).toEqual([
      ['us-east-1', 'put', 'steps[0]'],
      ['us-east-1', 'update', 'steps[1]'],
      ['eu-west-1', 'put', 'steps[5]'],
      ['us-east-1', 'delete', 'steps[7]'],
    ]);
    expect(trace.filter((e) => e.kind === 'condition-failed')).toHaveLength(1);
  });

  it('exits 1 when a read in DynamoDB syntax finds something else, and says what it found', async () => {
    const file = tempScenario(
      HEADER +
        '  - { at: 0, update: { region: us-east-1, key: { Id: A }, expression: "SET #s = :s", names: { "#s": status }, values: { ":s": shipped } } }\n' +
        '  - { at: 500, read: { region: eu-west-1, key: { Id: A }, expect: { status: shipped } } }\n',
    );
    const r = await geosim(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('read eu-west-1 A (eventual)');
    expect(lastLine(r.stdout)).toBe('0 passed, 1 failed');
  });

  it('exits 2 at load time with file:line:col and DynamoDB’s message, no stack trace', async () => {
    const file = tempScenario(HEADER + '  - { at: 0, update: { region: us-east-1, key: { Id: A }, expression: "SET a = :a", values: { ":a": 1, ":b": 2 } } }\n');
    const r = await geosim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4:104 error[dynamodb-refuses] DynamoDB refuses this update (ValidationException): Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('run on --backend dynamodb --local too: the same requests on real tables, the same outcome', async () => {
    const model = await geosim(['run', 'scenarios/dynamodb-syntax.yaml', '--format', 'json']);
    const real = await geosim(['run', 'scenarios/dynamodb-syntax.yaml', '--backend', 'dynamodb', '--local', '--format', 'json']);
    expect(real.stderr).toBe('1 passed, 0 failed\n');
    expect(real.code).toBe(0);
    type Output = { scenarios: Array<{ assertions: { name: string; passed: boolean }[]; final: unknown }> };
    const report = (out: string) => (JSON.parse(out) as Output).scenarios[0]!;
    const outcomes = (out: string) => report(out).assertions.map((a) => [a.name, a.passed]);
    expect(outcomes(real.stdout)).toEqual(outcomes(model.stdout));
    expect(report(real.stdout).final).toEqual(report(model.stdout).final);
  }, 120_000);
});
