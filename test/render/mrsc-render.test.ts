import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { renderText } from '../../src/render/text.js';
import { scenarioFromFile } from '../helpers/scenario.js';

const scenario = (name: string) => scenarioFromFile(join(import.meta.dirname, '../../scenarios', `${name}.yaml`));

describe('MRSC in the text view and the diagram', () => {
  it('the text view names the mode and witness, the round trip, the refusal and the SDK retry', async () => {
    const conflict = renderText(await runScenario(await scenario('mrsc-write-conflict')));
    expect(conflict).toContain('· MRSC ·');
    expect(conflict).toMatch(/WRITE .*ORDER#1 0ms@us-east-1 for paid; answered at 80ms \(MRSC round trip\)/);
    expect(conflict).toMatch(/REFUSED .*update ORDER#1: ReplicatedWriteConflictException: The request was rejected/);
    expect(conflict).toMatch(/SDK RETRY .*ORDER#1: ReplicatedWriteConflictException; the SDK sends attempt 2 after \d+ms/);
    const witness = renderText(await runScenario(await scenario('mrsc-transactions')));
    expect(witness).toContain('regions eu-west-1, eu-west-2 + witness eu-central-1 · MRSC');
  });

  it('the header lists the witness legs’ lag (the default lag) beside the links between replicas', async () => {
    const report = await runScenario(await scenario('mrsc-write-latency'));
    const header = renderText(report).split('\n').find((line) => line.startsWith('   lag '));
    expect(header).toBe('   lag us-east-1→us-east-2 fixed 12ms · us-east-2→us-east-1 fixed 12ms · us-east-1→us-west-2 fixed 35ms · us-west-2→us-east-1 fixed 35ms · us-east-2→us-west-2 fixed 35ms · us-west-2→us-east-2 fixed 35ms');
    expect(sequenceDiagram(report)).toContain('us-east-2→us-west-2 fixed 35ms');
  });

  it('the diagram titles the mode and notes the SDK retry over the Lambda', async () => {
    const mmd = sequenceDiagram(await runScenario(await scenario('mrsc-write-conflict')));
    expect(mmd).toContain('title mrsc-write-conflict (seed 1, MRSC, service-lww, idempotency none)');
    expect(mmd).toMatch(/Note over [^:]*Lambda_us_west_2: t=\d+ms SDK retries the<br\/>write of ORDER#35;1/);
    expect(mmd).toContain('; answered at 80ms)');
  });

  it('an idempotency record’s write has no empty parentheses, and a time over a second reads as the other views write it (it read “( (answered at 80ms))” and “3080ms”)', async () => {
    const mmd = sequenceDiagram(await runScenario(await scenario('mrsc-quorum-loss'))).replace(/<br\/>/g, ' ');
    expect(mmd).toContain('put IDEMPOTENCY#35;created (answered at 80ms)');
    expect(mmd).toContain('answered at 3.08s');
    expect(mmd).not.toMatch(/\( \(|\d{4,}ms/);
    expect(mmd).not.toContain('after 0 attempts');
  });
});
