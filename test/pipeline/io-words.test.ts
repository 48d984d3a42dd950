import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFailure } from '../../src/pipeline/io-words.js';

describe('writeFailure: why a file could not be written, in words', () => {
  it('words the errors a real write gives (no errno left to look up)', async () => {
    const file = join(tmpdir(), `geosim-io-words-${process.pid}`);
    writeFileSync(file, '');
    const failure = (path: string) => open(path, 'w').then(() => 'written', writeFailure);
    expect(await failure(join(file, 'x'))).toBe('a part of its path is a file, not a directory');
    expect(await failure(join(tmpdir(), 'no-such-dir-geosim', 'x'))).toBe('a directory on its path is missing, or no file can be made there');
    expect(await failure(join(tmpdir(), 'x'.repeat(300)))).toBe('its name is too long');
    expect(await failure(tmpdir())).toBe('it is a directory');
  });

  it('words permission and disk failures, and names an unknown code once', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(writeFailure(errno('EACCES'))).toBe('permission denied');
    expect(writeFailure(errno('EROFS'))).toBe('a read-only file system');
    expect(writeFailure(errno('ENOSPC'))).toBe('no space left on the device');
    expect(writeFailure(errno('EXDEV'))).toBe('the system refused it (EXDEV)');
    expect(writeFailure(new Error('plain'))).toBe('plain');
  });
});
