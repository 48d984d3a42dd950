import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conflictFeed, conflictLines, SERVICE_RULE } from '../../src/trace/conflict-feed.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { geosim } from '../helpers/cli.js';
import { scenarioFromFile } from '../helpers/scenario.js';

describe('conflictFeed', () => {
  it("records the service's resolutions and the client-lww repair, with both versions and whether a write was lost", async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/concurrent.yaml'));
    const feed = conflictFeed(report.trace);
    const service = feed.filter((r) => r.resolvedBy === 'service');
    const application = feed.filter((r) => r.resolvedBy === 'application');
    expect(service.length).toBeGreaterThan(0);
    expect(service.every((r) => r.strategy === SERVICE_RULE && r.lost)).toBe(true);
    expect(application.map((r) => r.strategy)).toEqual(Array(application.length).fill('client-lww'));
    for (const r of feed) expect([r.versions[0], r.versions[1]]).toContainEqual(r.result);
    // every replicated write that met a concurrent version is one record
    expect(service.length).toBe(report.trace.filter((e) => (e.kind === 'replication-applied' || e.kind === 'replication-discarded') && e.conflict).length);
  });

  it("a merge keeps both: the application's record is not a lost write", () => {
    const a = { Id: 'X', Data: { n: 1 } };
    const b = { Id: 'X', Data: { n: 2 } };
    const merged = { Id: 'X', Data: { n: 3 } };
    const feed = conflictFeed([{ seq: 1, t: 5, kind: 'conflict-resolved', region: 'us-east-1', itemId: 'X', by: 'application', strategy: 'counter', versions: [a, b], result: merged }]);
    expect(feed).toEqual([{ t: 5, region: 'us-east-1', itemId: 'X', resolvedBy: 'application', strategy: 'counter', versions: [a, b], result: merged, lost: false }]);
    expect(conflictLines(feed, 's')).toBe(JSON.stringify({ scenario: 's', ...feed[0] }) + '\n');
  });

  it('writes every item in the canonical order (Id first, then by name, nested maps too), whatever order the backend gave', () => {
    const a = { Data: { z: 1, a: 2 }, LastUpdatedRegion: 'us-east-1', Id: 'X' };
    const b = { Version: 2, Id: 'X', Data: { a: 1 } };
    const feed = conflictFeed([{ seq: 1, t: 5, kind: 'replication-discarded', from: 'eu-west-1', to: 'us-east-1', itemId: 'X', incoming: b, kept: a, incomingVersion: { ts: 1, region: 'eu-west-1' }, keptVersion: { ts: 2, region: 'us-east-1' }, reason: 'older', conflict: true } as never]);
    expect(conflictLines(feed)).toBe('{"t":5,"region":"us-east-1","itemId":"X","resolvedBy":"service","strategy":"last-writer-wins","versions":[{"Id":"X","Data":{"a":2,"z":1},"LastUpdatedRegion":"us-east-1"},{"Id":"X","Data":{"a":1},"Version":2}],"result":{"Id":"X","Data":{"a":2,"z":1},"LastUpdatedRegion":"us-east-1"},"lost":true}\n');
  });
});

describe('geosim run --conflicts FILE', () => {
  it('writes one JSON line per resolved conflict and says how many on stderr; stdout is unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-conflicts-'));
    const file = join(dir, 'out.jsonl');
    const plain = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text']);
    const withFeed = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text', '--conflicts', file]);
    expect(withFeed.code).toBe(0);
    expect(withFeed.stdout).toBe(plain.stdout);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(withFeed.stderr).toContain(`geosim: ${lines.length} conflicts written to ${file}`);
    expect(lines[0]).toMatchObject({ itemId: 'ORDER#1', resolvedBy: 'service' });
    expect(lines[0].scenario).toBeUndefined();
  });

  it('with several scenarios, every record names its scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-conflicts-'));
    const file = join(dir, 'out.jsonl');
    const result = await geosim(['run', 'scenarios/concurrent.yaml', 'scenarios/coalescing.yaml', '--format', 'json', '--conflicts', file]);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(new Set(lines.map((l) => l.scenario))).toContain('concurrent');
    expect(lines.every((l) => typeof l.scenario === 'string')).toBe(true);
    expect(result.code).toBe(0);
  });

  it('is written when the text output is over --max-output-size too, as with JSON (the runs ran)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'geosim-conflicts-')), 'out.jsonl');
    for (const format of ['text', 'json']) {
      const result = await geosim(['run', 'scenarios/concurrent.yaml', '--format', format, '--max-output-size', '1KB', '--conflicts', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`conflicts written to ${file}`);
      rmSync(file);
    }
  });

  it('a file that cannot be written is an environment failure (exit 3)', async () => {
    // (a missing directory is made: one under /proc cannot be, whoever runs the test)
    const result = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text', '--conflicts', '/proc/geosim-none/x.jsonl']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('geosim: --conflicts /proc/geosim-none/x.jsonl: cannot write it: ');
  });
});
