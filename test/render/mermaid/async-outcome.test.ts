import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { sequenceDiagram } from '../../../src/render/mermaid/sequence.js';
import { scenarioFromFile } from '../../helpers/scenario.js';

const scenario = (name: string) => scenarioFromFile(join(import.meta.dirname, '../../../scenarios', `${name}.yaml`));

// A review found the diagram answering an asynchronous caller (lambda.invocation: async) at the
// time its event was processed, minutes after the client got its 202.
describe('an event’s outcome in the diagram goes back only to a client that waits for it', () => {
  it.each([
    ['lambda-retries', 'async'],
    ['dlq-redrive', 'async'],
    ['stream-retries', 'stream'],
    ['step-functions', 'step-functions'],
  ])('%s (%s): the outcome stays with the Lambda that processed it', async (name, delivery) => {
    const report = await runScenario(await scenario(name));
    expect(report.delivery).toBe(delivery);
    const mmd = sequenceDiagram(report);
    expect(mmd).not.toMatch(/-->>Client: t=[^ ]+ (applied|duplicate|superseded)/);
    if (name === 'lambda-retries') expect(mmd).toContain('Lambda_us_east_1-->>Lambda_us_east_1: t=3m applied ACCOUNT#35;1');
  });

  it('a direct call (the default) is answered: the arrow goes back to the client, and the report has no delivery', async () => {
    const report = await runScenario(await scenario('concurrent'));
    expect(report.delivery).toBeUndefined();
    expect(sequenceDiagram(report)).toMatch(/Lambda_us_east_1-->>Client: t=[^ ]+ applied/);
  });
});
