import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Expands the paths a user gave into scenario files: a directory means every *.yaml / *.yml in it
 * (not recursive), sorted by name; a file is taken as is. A file named twice (also as
 * `./x.yaml` and `x.yaml`, through a link, or in a directory given too) runs once, under its
 * first spelling. Missing paths and directories without scenarios are a user error (exit 2),
 * every one of them named.
 */
export async function collectScenarioFiles(paths: string[], cwd: string): Promise<string[]> {
  const files = new Map<string, string>();
  const problems: string[] = [];
  // keyed by the file itself (links followed), so a link to a file given too runs it once
  const add = async (shown: string) => {
    const key = await realpath(resolve(cwd, shown)).catch(() => resolve(cwd, shown));
    if (!files.has(key)) files.set(key, shown);
  };
  for (const given of paths) {
    const full = resolve(cwd, given);
    const info = await stat(full).catch(() => undefined);
    if (!info) {
      problems.push(`geosim: ${given}: no such file or directory`);
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(full)).filter((n) => ['.yaml', '.yml'].includes(extname(n))).sort();
      if (names.length === 0) problems.push(`geosim: ${given}: no scenario files (*.yaml, *.yml) in this directory`);
      for (const n of names) await add(join(given, n));
    } else {
      await add(given);
    }
  }
  if (problems.length > 0) throw new UserError([...new Set(problems)].join('\n'));
  return [...files.values()];
}

/**
 * `collectScenarioFiles`, saying on stderr what `--seed` does not change (report, diagram): a
 * recorded run (`.json`) is drawn as it ran, with its own seed; the flag still applies to the
 * scenarios given beside it.
 */
export async function collectWarningOfSeed(paths: string[], cwd: string, seed: number | undefined, io: { stderr: { write(text: string): unknown } }): Promise<string[]> {
  const files = await collectScenarioFiles(paths, cwd);
  const recorded = seed === undefined ? [] : files.filter((f) => extname(f) === '.json');
  if (recorded.length > 0) io.stderr.write(`geosim: --seed ${seed} does not apply to ${recorded.join(', ')}: a recorded run is drawn as it ran, with its own seed\n`);
  return files;
}
