import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

it('writes through a symbolic link to the file it names, and the link stays a link (a rename had put a regular file in its place)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'reports'));
  writeFileSync(join(dir, 'reports', 'monday.html'), 'old');
  symlinkSync('reports/monday.html', join(dir, 'latest.html'));
  // a link to a link, and one whose file does not exist yet (written as `>` in a shell would)
  symlinkSync('latest.html', join(dir, 'current.html'));
  symlinkSync('reports/tuesday.html', join(dir, 'next.html'));
  await writeFileAtomic(join(dir, 'current.html'), 'new');
  await writeOutputFile(join(dir, 'next.html'), 'made', 'geosim report', '-o');
  expect(lstatSync(join(dir, 'latest.html')).isSymbolicLink()).toBe(true);
  expect(lstatSync(join(dir, 'current.html')).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(dir, 'next.html'))).toBe('reports/tuesday.html');
  expect(readFileSync(join(dir, 'reports', 'monday.html'), 'utf8')).toBe('new');
  expect(readFileSync(join(dir, 'reports', 'tuesday.html'), 'utf8')).toBe('made');
  // no temporary file left beside the link or the file
  expect(readdirSync(dir).sort()).toEqual(['current.html', 'latest.html', 'next.html', 'reports']);
  expect(readdirSync(join(dir, 'reports')).sort()).toEqual(['monday.html', 'tuesday.html']);
});

it('fails on a loop of links as the shell does (ELOOP), leaving the links as they were', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-atomic-'));
  dirs.push(dir);
  symlinkSync('b', join(dir, 'a'));
  symlinkSync('a', join(dir, 'b'));
  await expect(writeOutputFile(join(dir, 'a'), 'x', 'geosim report', '-o')).rejects.toMatchObject({ exitCode: 3 });
  expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  expect(lstatSync(join(dir, 'a')).isSymbolicLink()).toBe(true);
});
