import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The folder's listing names a file another explore removed before it was read (two searches of
// one scenario at once, a CI matrix sharing .geosim/): readdir is made to list one that is gone.
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  return { ...fs, readdir: async (path: string) => [...((await fs.readdir(path)) as string[]), 'gone.yaml'] };
});

const { loadRegressions, UnreadableRegression } = await import('../../src/explore/regressions.js');

describe('loadRegressions while another explore removes a regression', () => {
  it('skips a file gone since the folder was listed, and still refuses a link to nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'geosim-regressions-race-'));
    const dir = join(cwd, '.geosim/regressions/s');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), 'regions: [us-east-1]\n');
    expect((await loadRegressions(cwd, 's')).map((r) => r.path)).toEqual([join(dir, 'a.yaml')]);
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'link.yaml'));
    await expect(loadRegressions(cwd, 's')).rejects.toThrow(UnreadableRegression);
    await expect(loadRegressions(cwd, 's')).rejects.toThrow('link.yaml: is a link to nothing');
  });
});
