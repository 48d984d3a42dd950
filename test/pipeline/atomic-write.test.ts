import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/pipeline/atomic-write.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

it('replaces a file whole and leaves no temporary file behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'a.mmd'), 'old');
  await writeFileAtomic(join(dir, 'sub', 'b.mmd'), 'new b');
  await writeFileAtomic(join(dir, 'a.mmd'), 'new a');
  expect(readFileSync(join(dir, 'a.mmd'), 'utf8')).toBe('new a');
  expect(readFileSync(join(dir, 'sub', 'b.mmd'), 'utf8')).toBe('new b');
  expect(readdirSync(dir).sort()).toEqual(['a.mmd', 'sub']);
});

it('leaves the old file and no temporary file when the write fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'x.mmd'));
  await expect(writeFileAtomic(join(dir, 'x.mmd'), 'data')).rejects.toThrow();
  expect(readdirSync(dir)).toEqual(['x.mmd']);
});
