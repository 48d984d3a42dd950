import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { geosim } from './cli.js';

/**
 * `dir/bad.json`: scenarios/concurrent.yaml recorded by `geosim run --format json`, then damaged by
 * `damage` (its trace holds [1] a local-write, [2] a replication-sent). Its path.
 */
export async function damagedRecording(dir: string, damage: (trace: Record<string, unknown>[]) => void): Promise<string> {
  const recorded = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'json']);
  expect(recorded.code).toBe(0);
  const doc = JSON.parse(recorded.stdout) as { scenarios: { trace: Record<string, unknown>[] }[] };
  damage(doc.scenarios[0]!.trace);
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
