import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeDirectory, writeFileAtomic, writeOutputFile } from '../../src/pipeline/atomic-write.js';

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

it('makes missing directories level by level, and accepts one that exists', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  await makeDirectory(join(dir, 'a', 'b', 'c'));
  await makeDirectory(join(dir, 'a', 'b'));
  expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
});

// Node's recursive mkdir retries for ever under /proc: the write must fail (exit 3), not hang.
it.skipIf(!existsSync('/proc/self'))('fails, not hangs, for a directory the file system refuses to make under /proc (skipped when there is no /proc)', async () => {
  await expect(makeDirectory('/proc/geosim-no-such/dir')).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(writeOutputFile('/proc/geosim-no-such/report.html', 'x', 'geosim report', '-o')).rejects.toMatchObject({ name: 'EnvironmentError', exitCode: 3 });
}, 5000);

it('says which command and flag named an output path that runs into a file (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'file'), '');
  await expect(writeOutputFile(join(dir, 'file', 'x.html'), 'x', 'geosim run', '--report-dir')).rejects.toThrow(/^geosim run: cannot write .* a part of the --report-dir path is a file/);
});

it('writes into a pipe (or a device) named as the output, never renaming a regular file over it (`-o /dev/stdout` replaced the device)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const reader = readFile(fifo, 'utf8');
  await writeFileAtomic(fifo, 'through the pipe');
  expect(await reader).toBe('through the pipe');
  expect(statSync(fifo).isFIFO()).toBe(true);
  expect(readdirSync(dir)).toEqual(['pipe']);
});
