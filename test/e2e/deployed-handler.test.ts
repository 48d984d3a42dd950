import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import type { TraceEvent } from '../../src/trace/events.js';

// Issue 13 item 6: the seed's application is written once. The Lambda handler infra/template.yaml
// deploys (src/aws/handler.ts: EventProcessor over DynamoDB's commands through the AWS SDK) runs
// in the model as a team's module, through the SDK and the in-process endpoint; the built-in path
// reaches the replica through the model's API directly. Both transports must write the same items
// in the same order, at the same instants, with the same conflicts.
const ROOT = join(import.meta.dirname, '..', '..');

function writesOf(trace: TraceEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of trace) {
    if (e.kind === 'local-write') out.push([e.kind, e.t, e.region, e.itemId, e.op, e.after]);
    else if (e.kind === 'condition-failed') out.push([e.kind, e.t, e.region, e.itemId]);
    else if (e.kind === 'replication-applied' || e.kind === 'replication-discarded') out.push([e.kind, e.t, e.from, e.to, e.itemId]);
  }
  return out;
}

describe('the built-in application through the model’s API and the deployed handler through the SDK', () => {
  for (const [file, strategy, idempotency] of [
    ['scenarios/concurrent.yaml', 'version', 'local'],
    ['scenarios/cross-region-retry.yaml', 'service-lww', 'local'],
    ['scenarios/idempotency.yaml', 'version', 'local'],
    ['scenarios/lost-attribute-update.yaml', 'service-lww', 'none'],
  ] as const) {
    it(`${file} (${strategy}, ${idempotency} idempotency): the same writes, conflicts and final items`, async () => {
      const scenario = parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
      delete scenario.expect;
      // The envelope carries the event id, not the scenario's idempotency key: the deployed handler
      // keys its records by the event id (src/aws/parse-envelope.ts), so both sides use the id.
      const steps = (scenario.steps as Array<Record<string, Record<string, unknown>>>)
        .filter((s) => !('check' in s))
        .map((s) => (s.event ? { ...s, event: { ...s.event, key: s.event.id } } : s));
      const builtIn = await run({ ...scenario, steps, application: { strategy, idempotency } }, { baseDir: ROOT });
      const deployed = await run(
        {
          ...scenario,
          steps,
          application: {
            module: './src/aws/handler.ts',
            event: 'apigateway',
            // no virtual latency: the built-in path answers at once too
            latency: 0,
            env: { TABLE_NAME: 'GlobalEventTable', STRATEGY: strategy, IDEMPOTENCY: idempotency },
          },
        },
        { baseDir: ROOT },
      );
      expect(writesOf(deployed.trace).length).toBeGreaterThan(0);
      expect(writesOf(deployed.trace)).toEqual(writesOf(builtIn.trace));
      expect(deployed.final).toEqual(builtIn.final);
      expect(deployed.counts.conflicts).toBe(builtIn.counts.conflicts);
    });
  }
});
