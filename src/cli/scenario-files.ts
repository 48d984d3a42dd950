import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Expands the paths a user gave into scenario files: a directory means every *.yaml / *.yml in it
 * (not recursive), sorted by name; a file is taken as is. A missing path is a user error (exit 2).
 */
export async function collectScenarioFiles(paths: string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const full = resolve(cwd, given);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UserError(`geosim: ${given}: no such file or directory`);
    if (info.isDirectory()) {
      const names = (await readdir(full)).filter((n) => ['.yaml', '.yml'].includes(extname(n))).sort();
      if (names.length === 0) throw new UserError(`geosim: ${given}: no scenario files (*.yaml) in this directory`);
      for (const n of names) files.push(join(given, n));
    } else {
      files.push(given);
    }
  }
  return [...new Set(files)];
}
