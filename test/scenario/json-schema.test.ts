import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

type Node = { properties?: Record<string, Node>; default?: unknown; items?: Node; anyOf?: Node[] };
const schema = scenarioJsonSchema() as Node;

/** The schema node at a path of property names ('[]' steps into a list's items). */
function at(path: string): Node {
  let node: Node = schema;
  for (const part of path.split('.')) {
    const next = part === '[]' ? node.items : node.properties?.[part];
    if (next === undefined) throw new Error(`no ${part} in the schema at ${path}`);
    node = next;
  }
  return node;
}

const MINIMAL = `
regions: [us-east-1, eu-west-1]
faults:
  - { lambdaFailure: {} }
  - { until: 1s, pauseReplication: { region: eu-west-1 } }
lambda: { invocation: stream }
failover: {}
steps: [{ at: 0, event: { id: e1, region: us-east-1, item: X, data: {} } }]
`;

describe('geosim schema shows every default the loader applies', () => {
  const s = scenarioFromYaml(MINIMAL);

  it('shows the defaults of the scenario, its replication and its application, as the loader applies them', () => {
    expect(at('seed').default).toBe(s.seed);
    expect(at('replication.lag').default).toEqual(s.replication.links[0]!.lag);
    expect(at('replication.coalesce').default).toBe(s.replication.coalesce);
    expect(at('replication.tieBreak').default).toBe(s.replication.tieBreak);
    expect(at('indexLag').default).toBe(s.indexLagMs);
    for (const field of ['strategy', 'idempotency', 'idempotencyTtlSeconds', 'maxRetries', 'consumerDelay'] as const) {
      expect(at(`application.${field}`).default).toBe(s.application[field]);
    }
  });

  it('shows the defaults of faults, events, Lambda, Step Functions and failover', () => {
    const [lambda, pause] = s.faults!;
    expect(at('faults.[].at').default).toBe(lambda!.at);
    expect(at('faults.[].lambdaFailure.probability').default).toBe(lambda!.kind === 'lambda-failure' && lambda!.probability);
    expect(at('faults.[].lambdaFailure.error').default).toBe(lambda!.kind === 'lambda-failure' && lambda!.error);
    expect(at('faults.[].pauseReplication.continuesFor').default).toBe(pause!.kind === 'pause-replication' && pause!.continuesFor);
    const event = s.steps[0]!.kind === 'event' ? s.steps[0]!.event : undefined;
    for (const field of ['type', 'domain', 'priority'] as const) expect(at(`steps.[].event.${field}`).default).toBe(event![field]);
    for (const field of ['timeout', 'retryDelay', 'deadLetterQueue', 'bisectBatchOnFunctionError', 'visibilityTimeout', 'maxReceiveCount', 'reportBatchItemFailures'] as const) {
      expect(at(`lambda.${field}`).default).toBe(s.lambda![field]);
    }
    // batchSize's default depends on the source (AWS's: 100 for a stream, 10 for SQS): the schema says both.
    expect(at('lambda.batchSize').default).toBeUndefined();
    expect(s.lambda!.batchSize).toBe(100);
    expect(at('lambda.batchSize').description).toMatch(/stream: .*default 100; sqs: .*default 10\./);
    const workflow = scenarioFromYaml(MINIMAL.replace('lambda: { invocation: stream }', 'stepFunctions: {}').replace('  - { lambdaFailure: {} }\n', ''));
    expect(at('stepFunctions.retry').default).toEqual(workflow.stepFunctions!.retry);
    expect(at('stepFunctions.stateDuration').default).toBe(workflow.stepFunctions!.stateDuration);
    expect(at('stepFunctions.type').default).toBe(workflow.stepFunctions!.type);
    expect(at('failover.after').default).toBe(s.failover!.after);
    // a stream handler's mapping reads batchItemFailures unless told not to, as infra/template.yaml deploys it
    expect(at('application.stream.reportBatchItemFailures').default).toBe(true);
  });
});

describe('geosim schema and a file for serve', () => {
  it('does not require steps (serve takes a file without them; run refuses one at its line), and says so', () => {
    const json = scenarioJsonSchema() as { required?: string[]; properties: Record<string, { description?: string; minItems?: number }> };
    expect(json.required).toEqual(['regions']);
    expect(json.properties.steps!.description).toContain('geosim serve');
    expect(json.properties.steps!.minItems).toBe(1);
  });
});
