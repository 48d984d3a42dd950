import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { renderText } from '../../src/render/text.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');

// The built-in application with `idempotency: home-region` writes each key's record in its home
// region, whichever region's Lambda handles the event: the write is that Lambda's, not the home region's.
describe('a request to another region’s table names the Lambda that made it (caller)', () => {
  it('the idempotency record written in its home region by the other region’s Lambda', async () => {
    const report = await run('cross-region-retry-home-region.yaml', { baseDir: SCENARIOS });
    const writes = report.trace.filter((e) => e.kind === 'local-write' || e.kind === 'condition-failed').map((e) => [e.kind, e.t, e.region, (e as { itemId: string }).itemId, (e as { caller?: string }).caller ?? '-']);
    expect(writes).toEqual([
      ['local-write', 0, 'eu-west-1', 'IDEMPOTENCY#charge-1', 'us-east-1'],
      ['local-write', 0, 'us-east-1', 'ACCOUNT#9', '-'],
      // the retry, handled in eu-west-1, the key's home: its own region
      ['condition-failed', 200, 'eu-west-1', 'IDEMPOTENCY#charge-1', '-'],
    ]);
    expect(renderText(report)).toContain('IDEMPOTENCY#charge-1 0ms@eu-west-1 for charge-1 from us-east-1');
    expect(sequenceDiagram(report)).toContain('Lambda_us_east_1->>Table_eu_west_1: t=0ms put IDEMPOTENCY#35;charge-1');
  });
});
