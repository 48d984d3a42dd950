import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { validateTrace } from '../render/perfetto/validate.js';

// `geosim run --format perfetto` as a user runs it: the built bin/geosim, the trace on stdout, the
// closing line on stderr (stdout holds only the document), exit codes, and the output limit.
function geosim(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Doc {
  traceEvents: { ph: string; name: string; args?: { name?: string } }[];
  otherData: { passed: number; failed: number; scenarios: { name: string; passed: boolean; flows: number; writesSent: number }[] };
}

describe('geosim run --format perfetto', () => {
  it('writes one valid trace document to stdout, the closing line to stderr, exit 0', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'perfetto']);
    expect(r.stderr).toBe('1 passed, 0 failed\n');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(validateTrace(doc).problems).toEqual([]);
    expect(doc.otherData).toMatchObject({ passed: 1, failed: 0, scenarios: [{ name: 'concurrent', passed: true }] });
    const processes = doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.name);
    expect(processes).toEqual(['us-east-1', 'eu-west-1']);
    expect(doc.traceEvents.filter((e) => e.ph === 's')).toHaveLength(doc.otherData.scenarios[0]!.writesSent);
  });

  it('several scenarios make one document; a failed assertion exits 1 and is in otherData', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', 'scenarios/explore/lost-update.repro.yaml', '--format', 'perfetto']);
    expect(r.stderr).toBe('1 passed, 1 failed\n');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(validateTrace(doc).problems).toEqual([]);
    expect(doc.otherData.scenarios.map((s) => [s.name, s.passed])).toEqual([
      ['concurrent', true],
      ['lost-update-repro', false],
    ]);
    const processes = doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.name);
    expect(processes[0]).toBe('concurrent · us-east-1');
    expect(processes.some((p) => p?.startsWith('lost-update-repro · '))).toBe(true);
  });

  it('over --max-output-size: nothing written, exit 2, the message names the flag', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'perfetto', '--max-output-size', '1KB']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const hint = /^geosim: the Perfetto output would be \d+KB, larger than 1KB, so none was written; large items repeated in a long trace\? To allow more: --max-output-size (\d+KB)\n$/.exec(r.stderr);
    expect(hint).not.toBeNull();
    // the size it names lets the document through
    const again = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'perfetto', '--max-output-size', hint![1]!]);
    expect(again.code).toBe(0);
    expect(Buffer.byteLength(again.stdout)).toBeLessThanOrEqual(Number(hint![1]!.replace('KB', '')) * 1024);
  });

  it('is the same bytes run after run', () => {
    const a = geosim(['run', 'scenarios/pause-replication.yaml', '--format', 'perfetto']);
    const b = geosim(['run', 'scenarios/pause-replication.yaml', '--format', 'perfetto']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--step refuses it, as it refuses json', async () => {
    const sink = () => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: true, columns: 100 });
    let err = '';
    const stderr = new Writable({ write: (c: Buffer, _e, done) => ((err += c.toString()), done()) });
    const code = await main(['run', 'scenarios/concurrent.yaml', '--step', '--format', 'perfetto'], { stdout: sink(), stderr, env: {}, stdin: { isTTY: true } as never, cwd: process.cwd() });
    expect(code).toBe(2);
    expect(err).toBe('geosim: --step shows the terminal view; it cannot be combined with --format perfetto\n');
  });

  it('--backend dynamodb --local: a RunReport too, so the same trace format', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'perfetto', '--backend', 'dynamodb', '--local']);
    expect(r.stderr).toBe('1 passed, 0 failed\n');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(validateTrace(doc).problems).toEqual([]);
    expect(doc.otherData.scenarios[0]).toMatchObject({ name: 'concurrent', passed: true });
    expect(doc.otherData.scenarios[0]!.flows).toBe(doc.otherData.scenarios[0]!.writesSent);
  }, 120_000);
});
