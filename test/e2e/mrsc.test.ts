import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// End-to-end: the built bin/geosim on mode: mrsc as a user runs it.
function geosim(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempScenario(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'geosim-mrsc-')), 'mrsc.yaml');
  writeFileSync(file, text);
  return file;
}

const EVENT = 'steps: [{ at: 0, event: { id: e1, region: us-east-1, item: X, data: {} } }]\n';

describe('bin/geosim on mode: mrsc', () => {
  it('refuses us-east-1 with eu-west-1: exit 2, line:col, the allowed sets, no stack trace', () => {
    const file = tempScenario('mode: mrsc\nregions: [us-east-1, eu-west-1]\nwitness: us-west-2\n' + EVENT);
    const r = geosim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:10 error[mrsc-region-set]`);
    expect(r.stderr).toContain('US (us-east-1, us-east-2, us-west-2); EU (eu-west-1, eu-west-2, eu-west-3, eu-central-1); AP (ap-northeast-1, ap-northeast-2, ap-northeast-3)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --backend dynamodb for mode: mrsc before contacting any endpoint', () => {
    const file = tempScenario('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\n' + EVENT);
    const r = geosim(['run', file, '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: mode: mrsc runs only in the model (--backend dynamodb runs MREC tables: DynamoDB Local has no multi-Region strong consistency, and geosim creates no MRSC global table); run it without --backend dynamodb`);
    // nothing in the file needs fixing: no "fix the errors above"
    expect(r.stderr).not.toContain('fix the errors above');
  });

  it('skips, with a note, the mode: mrsc scenarios of a directory run on --backend dynamodb (the shipped scenarios run there as they are)', () => {
    const file = tempScenario('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\n' + EVENT);
    const r = geosim(['run', dirname(file), '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('geosim: 1 scenario with mode: mrsc not run: mode: mrsc runs only in the model');
    // the note names what it skipped (the JSON's notRun does too)
    expect(r.stderr).toContain(`; skipped: ${join(dirname(file), basename(file))}\n`);
    expect(JSON.parse(r.stdout).notRun).toEqual([{ file: join(dirname(file), basename(file)), why: expect.stringContaining('mode: mrsc runs only in the model') }]);
  });
});

describe('bin/geosim on ttlDelay (the model only)', () => {
  it('refuses --backend dynamodb for a scenario with ttlDelay before contacting any endpoint; skips one found in a directory, with a note', () => {
    const file = tempScenario('regions: [us-east-1, eu-west-1]\nttlDelay: 2d\n' + EVENT);
    const named = geosim(['run', file, '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`${file}: ttlDelay runs only in the model (DynamoDB deletes expired items on its own clock, and a run's expiry times are virtual); run it without --backend dynamodb`);
    expect(named.stderr).not.toContain('fix the errors above');
    const found = geosim(['run', dirname(file), '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9', '--format', 'json']);
    expect(found.code).toBe(0);
    expect(found.stderr).toContain('geosim: 1 scenario with ttlDelay not run: ttlDelay runs only in the model');
  });
});

describe('bin/geosim on replication.unchangedWrites: skip (the model only)', () => {
  it('refuses --backend dynamodb before contacting any endpoint (its emulated replication sends every write), and runs in the model', () => {
    const file = tempScenario('regions: [us-east-1, eu-west-1]\nreplication: { unchangedWrites: skip }\n' + EVENT);
    const named = geosim(['run', file, '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`${file}: replication.unchangedWrites: skip runs only in the model (--backend dynamodb's emulated replication sends every write, one that changes nothing included, as unchangedWrites: replicate does); run it without --backend dynamodb`);
    expect(geosim(['run', file]).code).toBe(0);
    // replicate, the default, is what that backend does: it runs there as it is
    const replicate = tempScenario('regions: [us-east-1, eu-west-1]\nreplication: { unchangedWrites: replicate }\n' + EVENT);
    expect(geosim(['run', replicate, '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9']).code).toBe(3);
  });
});

describe('bin/geosim on indexLag (the model’s knob)', () => {
  it('runs a scenario with indexLag on --backend dynamodb, saying on stderr that the indexes lag as the service’s do', () => {
    const file = tempScenario('regions: [us-east-1, eu-west-1]\nindexLag: 200ms\n' + EVENT);
    // nothing listens on port 9: the note comes before the run, which then cannot reach the endpoint (exit 3)
    const r = geosim(['run', file, '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.stderr).toContain(`geosim: ${file}: indexLag is the model's only: on --backend dynamodb the indexes lag as the endpoint's do (DynamoDB Local's not at all), not as scripted`);
    expect(r.code).toBe(3);
    const model = geosim(['run', file]);
    expect(model.code).toBe(0);
    expect(model.stderr).not.toContain('indexLag');
  });
});
