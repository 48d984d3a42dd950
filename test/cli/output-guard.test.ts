import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geosim, ROOT } from '../helpers/cli.js';

// A review found `--conflicts`, `report -o` and `explore --repro` writing over the very scenario
// they were given: the file became JSON lines, HTML or a repro, with exit 0.
const scenario = readFileSync(join(ROOT, 'scenarios/concurrent.yaml'), 'utf8');
const explorable = readFileSync(join(ROOT, 'scenarios/explore/retry-in-lag.yaml'), 'utf8');

function workspace(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'geosim-guard-'));
  writeFileSync(join(cwd, 'v.yaml'), scenario);
  writeFileSync(join(cwd, 'x.yaml'), explorable);
  symlinkSync(join(cwd, 'v.yaml'), join(cwd, 'link.yaml'));
  linkSync(join(cwd, 'v.yaml'), join(cwd, 'hard.yaml'));
  return cwd;
}

describe('an output path that names an input is refused (exit 2), and the input is left as it was', () => {
  it.each([
    [['run', 'v.yaml', '--conflicts', 'v.yaml'], 'geosim: --conflicts v.yaml is the input v.yaml: writing there would replace it; choose another path'],
    [['report', 'v.yaml', '-o', 'v.yaml'], 'geosim: -o v.yaml is the input v.yaml: writing there would replace it; choose another path'],
    [['report', 'link.yaml', '-o', 'v.yaml'], 'geosim: -o v.yaml is the input link.yaml: writing there would replace it; choose another path'],
    [['run', 'v.yaml', '--conflicts', 'hard.yaml'], 'geosim: --conflicts hard.yaml is the input v.yaml: writing there would replace it; choose another path'],
    [['explore', 'x.yaml', '--runs', '5', '--repro', 'x.yaml'], 'geosim: --repro x.yaml is the input x.yaml: writing there would replace it; choose another path'],
  ] as const)('%j', async (argv, message) => {
    const cwd = workspace();
    const r = await geosim([...argv], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(cwd, 'v.yaml'), 'utf8')).toBe(scenario);
    expect(readFileSync(join(cwd, 'x.yaml'), 'utf8')).toBe(explorable);
  });

  it('explore --repro naming the handler module or the merge module a scenario loads is refused too (it replaced the team’s code with the repro)', async () => {
    const cwd = workspace();
    const handler = 'export const handler = async () => {};\n';
    writeFileSync(join(cwd, 'handler.mjs'), handler);
    writeFileSync(join(cwd, 'merge.mjs'), 'export const merge = (a) => a;\n');
    writeFileSync(join(cwd, 'h.yaml'), 'regions: [us-east-1, eu-west-1]\napplication: { module: ./handler.mjs }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {} } }\n');
    writeFileSync(join(cwd, 'm.yaml'), 'regions: [us-east-1, eu-west-1]\napplication: { strategy: custom, merge: { module: ./merge.mjs } }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {} } }\n');
    const h = await geosim(['explore', 'h.yaml', '--runs', '5', '--repro', 'handler.mjs'], { cwd });
    expect(h.code).toBe(2);
    expect(h.stderr).toContain(`geosim: --repro handler.mjs is the input ${join(cwd, 'handler.mjs')}: writing there would replace it; choose another path`);
    expect(readFileSync(join(cwd, 'handler.mjs'), 'utf8')).toBe(handler);
    const m = await geosim(['explore', 'm.yaml', '--runs', '5', '--repro', './merge.mjs'], { cwd });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('is the input');
    expect(readFileSync(join(cwd, 'merge.mjs'), 'utf8')).toBe('export const merge = (a) => a;\n');
  });

  it('the same file written another way (a relative path through its directory) is the same file', async () => {
    const cwd = workspace();
    const other = `../${cwd.split('/').pop()}/v.yaml`;
    const r = await geosim(['run', 'x.yaml', './v.yaml', '--conflicts', other], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`geosim: --conflicts ${other} is the input ./v.yaml: writing there would replace it`);
    expect(readFileSync(join(cwd, 'v.yaml'), 'utf8')).toBe(scenario);
  });

  it('a --conflicts directory is bad input before anything runs; a missing folder is made, as -o makes one (it was exit 3 once)', async () => {
    const cwd = workspace();
    mkdirSync(join(cwd, 'out'));
    const dir = await geosim(['run', 'v.yaml', '--conflicts', 'out'], { cwd });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe('geosim: --conflicts out is a directory: name a file in it, e.g. out/conflicts.jsonl\n');
    expect(dir.stdout).toBe('');
    const missing = await geosim(['run', 'v.yaml', '--conflicts', 'nowhere/deeper/c.jsonl'], { cwd });
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain('written to nowhere/deeper/c.jsonl');
    expect(readdirSync(join(cwd, 'nowhere', 'deeper'))).toEqual(['c.jsonl']); // no temporary file left beside it
    // through a file: bad input, as report -o says it (it was an internal error once the directory check stat-ed it)
    const throughFile = await geosim(['run', 'v.yaml', '--conflicts', 'v.yaml/c.jsonl'], { cwd });
    expect(throughFile.code).toBe(2);
    expect(throughFile.stderr).toBe('geosim: --conflicts v.yaml/c.jsonl: a part of the path is a file, not a directory\n');
  });

  it('a --conflicts file is not written when no scenario ran (every one invalid): an empty feed would read as "no conflicts"', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'bad.yaml'), 'name: bad\nregions: [us-east-1]\nsteps: 3\n');
    const r = await geosim(['run', 'bad.yaml', '--conflicts', 'c.jsonl'], { cwd });
    expect(r.code).toBe(2);
    expect(existsSync(join(cwd, 'c.jsonl'))).toBe(false);
    const ran = await geosim(['run', 'v.yaml', '--conflicts', 'c.jsonl'], { cwd });
    expect(ran.code).toBe(0);
    expect(readFileSync(join(cwd, 'c.jsonl'), 'utf8')).toMatch(/^(\{.*\}\n)+$/);
  });
});
