import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Expands the paths a user gave into scenario files: a directory means every *.yaml / *.yml in it
 * (not recursive), sorted by name; a file is taken as is. A file named twice (also as
 * `./x.yaml` and `x.yaml`, or in a directory given too) runs once, under its first spelling.
 * Missing paths are a user error (exit 2), every one of them named.
 */
export async function collectScenarioFiles(paths: string[], cwd: string): Promise<string[]> {
  const files = new Map<string, string>();
  const missing: string[] = [];
  const add = (shown: string) => {
    const key = resolve(cwd, shown);
    if (!files.has(key)) files.set(key, shown);
  };
  for (const given of paths) {
    const full = resolve(cwd, given);
    const info = await stat(full).catch(() => undefined);
    if (!info) {
      missing.push(given);
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(full)).filter((n) => ['.yaml', '.yml'].includes(extname(n))).sort();
      if (names.length === 0) throw new UserError(`geosim: ${given}: no scenario files (*.yaml, *.yml) in this directory`);
      for (const n of names) add(join(given, n));
    } else {
      add(given);
    }
  }
  if (missing.length > 0) throw new UserError(missing.map((m) => `geosim: ${m}: no such file or directory`).join('\n'));
  return [...files.values()];
}
