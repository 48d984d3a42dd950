import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemsExpiredDuringRun } from '../../src/cli/expired-items.js';
import { javaAvailable, useDynamoDbLocal } from '../helpers/dynamodb-local.js';

// Time to Live acts in the model's time only: the model deletes an item at its expiry, DynamoDB (Local
// or AWS) on its own clock. A run on --backend dynamodb that outlived an item's expiry is not the
// model's, and says so on stderr (the differential test covers only scenarios where nothing expires).

function geosim(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempScenario(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'geosim-ttl-')), 'ttl.yaml');
  writeFileSync(file, text);
  return file;
}

// The idempotency record of e1 expires 1 s after it is written; the retry comes at 5 s.
const EXPIRING_RECORD = `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: service-lww, idempotency: local, idempotencyTtlSeconds: 1 }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { x: 1 } } }
  - { at: 5s, retry: { of: e1, region: us-east-1 } }
`;

describe('itemsExpiredDuringRun', () => {
  const record = { Id: 'IDEMPOTENCY#e1', ExpiresAt: 1767225601 };
  it('names an item whose expiry came before the run ended, in GlobalEventTable or a declared table with TTL', () => {
    expect(itemsExpiredDuringRun({}, { final: { 'us-east-1': { 'IDEMPOTENCY#e1': record } }, endedAt: 5000 })).toEqual([
      { table: 'GlobalEventTable', region: 'us-east-1', key: 'IDEMPOTENCY#e1', expiredAt: 1000 },
    ]);
    const tables = [{ name: 'Orders', definition: {}, keyNames: ['pk'], ttlAttribute: 'exp' }];
    const final = { 'us-east-1': { A: { Id: 'A', exp: 1767225601.5 } } };
    expect(itemsExpiredDuringRun({ tables }, { final, tables: { Orders: final }, endedAt: 5000 })).toEqual([{ table: 'Orders', region: 'us-east-1', key: 'A', expiredAt: 1500 }]);
  });

  it('leaves out an expiry after the end, a table without TTL, a value TTL ignores (not a Number, five years past)', () => {
    expect(itemsExpiredDuringRun({}, { final: { 'us-east-1': { 'IDEMPOTENCY#e1': record } }, endedAt: 999 })).toEqual([]);
    expect(itemsExpiredDuringRun({ tables: [{ name: 'Orders', definition: {}, keyNames: ['Id'] }] }, { final: { 'us-east-1': { A: { Id: 'A', ExpiresAt: 1 } } }, endedAt: 5000 })).toEqual([]);
    expect(itemsExpiredDuringRun({}, { final: { 'us-east-1': { A: { Id: 'A', ExpiresAt: '1767225601' } } }, endedAt: 5000 })).toEqual([]);
    expect(itemsExpiredDuringRun({}, { final: { 'us-east-1': { A: { Id: 'A', ExpiresAt: 1 } } }, endedAt: 5000 })).toEqual([]);
  });
});

describe.skipIf(!javaAvailable())('bin/geosim run --backend dynamodb on a scenario whose items expire during the run (skipped when Java 17 is not installed; CI installs it)', () => {
  const local = useDynamoDbLocal();

  it('says on stderr that the run outlived an expiry the model acts on', () => {
    const file = tempScenario(EXPIRING_RECORD);
    // the model deletes the record at 1 s: the retry is processed again (two effects, exit 1)
    const model = geosim(['run', file]);
    expect(model.code).toBe(1);
    expect(model.stderr).not.toContain('Time to Live');
    const r = geosim(['run', file, '--backend', 'dynamodb', '--endpoint', local().endpoint]);
    expect(r.stderr).toContain(
      `geosim: ${file}: IDEMPOTENCY#e1 expired by Time to Live at 1s, before the run ended at 5s: the model deletes an item at its expiry in the run's time, --backend dynamodb does not (DynamoDB expires items on its own clock), so this run can differ from the model's; run it without --backend dynamodb to see Time to Live act\n`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // nothing expired before the end (the default day of TTL): no note
    const quiet = geosim(['run', tempScenario(EXPIRING_RECORD.replace('idempotencyTtlSeconds: 1', 'idempotencyTtlSeconds: 86400')), '--backend', 'dynamodb', '--endpoint', local().endpoint]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('Time to Live');
  });
});
