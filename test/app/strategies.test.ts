import { describe, expect, it } from 'vitest';
import { canonicalStrategy, STRATEGIES } from '../../src/app/strategies.js';
import { STRATEGIES as FROM_PROCESSOR } from '../../src/app/event-processor.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const yaml = (strategy: string) => `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: ${strategy} }
steps:
  - at: 0
    event: { id: e1, region: us-east-1, item: "ORDER#1", data: { status: a } }
  - at: 10ms
    event: { id: e2, region: eu-west-1, item: "ORDER#1", data: { status: b } }
`;

describe('strategy names', () => {
  it('keeps one list, re-exported where the schema and the handler read it', () => {
    expect(FROM_PROCESSOR).toBe(STRATEGIES);
    expect(STRATEGIES).toContain('lww-item');
    expect(STRATEGIES).toContain('service-lww');
  });

  it('normalises service-lww to lww-item and keeps the written name for reports', () => {
    expect(canonicalStrategy('service-lww')).toBe('lww-item');
    const alias = scenarioFromYaml(yaml('service-lww'));
    expect(alias.application.strategy).toBe('lww-item');
    expect(alias.application.strategyAlias).toBe('service-lww');
    const plain = scenarioFromYaml(yaml('lww-item'));
    expect(plain.application.strategy).toBe('lww-item');
    expect(plain.application.strategyAlias).toBeUndefined();
  });

  it('runs lww-item and service-lww alike; each report names the strategy as written', async () => {
    const alias = await runScenario(scenarioFromYaml(yaml('service-lww')));
    const plain = await runScenario(scenarioFromYaml(yaml('lww-item')));
    expect(alias.strategy).toBe('service-lww');
    expect(plain.strategy).toBe('lww-item');
    expect(plain.trace).toEqual(alias.trace);
    expect(plain.final).toEqual(alias.final);
  });
});
