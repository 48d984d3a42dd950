import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import type { ExploreFlags } from '../explore-command.js';
import { MAX_EXPLORE_RUNS } from '../../scenario/schema.js';
import { parseFileSize, parseSeed, parseSyncLimit } from './run.js';
import { compoundMs } from '../../scenario/time-units.js';

/** The most worker threads --workers takes. */
export const MAX_WORKERS = 64;

/** A wall-clock duration flag (`--time 60s`, `--shrink-time 2m`): ms, s, m or h; more than 0, at most a day. */
function wallTime(flag: string, example: string): (value: string) => number {
  return (value) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    // (or as the views print a time: 1m30s)
    const ms = m ? Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']) : Math.round(compoundMs(value.trim()) ?? Number.NaN);
    if (!(ms > 0) || ms > 86_400_000) throw new InvalidArgumentError(`expected a wall-clock time, more than 0 and at most 24h (units ms, s, m, h, or as the views print a time: 1m30s; a bare number is seconds), e.g. ${flag} ${example}`);
    return ms;
  };
}

/** `--runs`: a whole number from 1 to MAX_EXPLORE_RUNS. */
export function parseRuns(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_EXPLORE_RUNS) throw new InvalidArgumentError(`expected a whole number of runs from 1 to ${MAX_EXPLORE_RUNS}, e.g. --runs 20000`);
  return n;
}

/** `--workers`: 1 to MAX_WORKERS threads. */
export function parseWorkers(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_WORKERS) throw new InvalidArgumentError(`expected a number of threads (workers) from 1 to ${MAX_WORKERS}, e.g. --workers 2`);
  return n;
}

/** `--shard k/n`: 1-based shard k of n, n at most 10,000. */
export function parseShard(value: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || !(n >= 1 && n <= 10_000) || !(k >= 1 && k <= n)) throw new InvalidArgumentError('expected k/n, 1 <= k <= n <= 10000 (shard k of n), e.g. --shard 2/4');
  return { k, n };
}

export function registerExplore(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('explore')
    .description('Search many draws of a scenario for one that fails an assertion; shrink it to a small repro scenario.')
    .argument('[scenario]', 'a scenario file (with --replay: none, the token names it)')
    .option('--runs <n>', 'runs to try (default: the scenario\'s explore.runs, else 1000, when --time is not given either)', parseRuns)
    .option('--time <time>', 'wall-clock budget of the search (after saved regressions replay), e.g. 60s or 10m; alone, no run limit (explore.runs does not apply); with --runs, whichever ends first', wallTime('--time', '60s'))
    .option('--seed <n>', 'seed of the search, 0 to 2^53-1: run i draws from (seed, i) alone (default 1)', parseSeed)
    .option('--workers <k>', 'threads running draws in parallel (default 1): geosim\'s own thread at once, k-1 worker threads once the search has 3 s or more left after its first second; the results do not depend on it', parseWorkers)
    .option('--shard <k/n>', 'run only the draws i with i % n == k-1, so n machines split one search (CI matrix)', parseShard)
    .option('--keep-going', 'do not stop at the first failure: find one failure per failing assertion')
    .option('--repro <file>', 'where the first repro scenario explore writes goes (default .geosim/repro/<scenario>-<hash>.yaml); replaces only a repro explore wrote')
    .addOption(new Option('--format <format>', 'output: text (default) or json (one summary object on stdout)').choices(['text', 'json']))
    .option('--replay <token>', 'rerun the one draw a replay token names (printed with each failure), shrink it, write its repro')
    .option('--no-shrink', 'write the failing draw as found, without shrinking it')
    .option('--shrink-time <time>', 'wall-clock time shrinking one failure may take before it stops with the smallest repro so far (default 60s)', wallTime('--shrink-time', '2m'))
    .option('--max-file-size <size>', 'largest scenario file read (default 1MB), e.g. 5MB', parseFileSize)
    .option('--sync-limit <time>', 'application.module: wall-clock time one slice of your handler may run without yielding before the search stops (default 10s)', parseSyncLimit)
    .addHelpText(
      'after',
      `
Examples:
  geosim explore scenarios/explore/retry-in-lag.yaml            1000 draws (or explore.runs), stop at the first failure
  geosim explore scenarios/explore/retry-in-lag.yaml --time 60s --workers 2
  geosim explore scenarios/explore/retry-in-lag.yaml --shard 2/4 --runs 100000
                                                                one machine's quarter of a CI matrix
  geosim explore --replay gx1.eyJmIjoi...                       the failing draw again, shrunk

Each failure is shrunk and written as a scenario with every choice pinned (geosim run <it> fails
the same way), and saved under .geosim/regressions/<scenario>/, replayed first on the next explore.
The last line is "explored N runs: F failed".
Exit codes: 0 no failure in the budget and every sometimes: condition met, 1 a failure found (or a
saved regression still fails, or a sometimes: condition never met), 2 bad input, 130, 143 or
129 stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP, after reporting what it found.`,
    )
    .action(async (scenario: string | undefined, flags: ExploreFlags) => {
      const { exploreCommand } = await import('../explore-command.js');
      setExit(await exploreCommand(scenario, flags, io));
    });
}
