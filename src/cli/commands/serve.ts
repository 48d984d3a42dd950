import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import type { ServeFlags } from '../serve-flags.js';
import { parseFileSize, parseIndexLag, parseMaxTraceEvents, parseSeed, parseTimeScale, parseTtlDelay } from './run.js';

/** The default of `--port`: DynamoDB Local's. */
export const DEFAULT_SERVE_PORT = 8000;

/** `--port`: 0 (a free port) to 65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0 picks a free one), e.g. --port 8001');
  return n;
}

export function registerServe(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('serve')
    .description('Serve the model as DynamoDB over HTTP on 127.0.0.1: one port, every region, replication on the wall clock.')
    .argument('[scenario]', "a scenario file: its regions, replication and faults are served (its steps are not run)")
    .option('--regions <list>', 'without a scenario: comma-separated regions (default us-east-1,eu-west-1)')
    .option('--lag <lag>', 'without a scenario: replication lag of every link, a duration (1s, 300ms) or "{distribution: uniform, min: 300ms, max: 900ms}" (default uniform 500ms..1500ms)')
    // commander says "(default: 8000)" itself
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, DEFAULT_SERVE_PORT)
    .option('--time-scale <n>', 'virtual ms per wall ms (default 1: real time; 10 makes lags and faults 10 times shorter)', parseTimeScale)
    .option('--seed <n>', "PRNG seed of the lag distributions (overrides the scenario's seed; default 1)", parseSeed)
    .option('--trace <file>', 'on stop, write what happened as `geosim run --format json` does, for geosim diagram and the views')
    .option('--max-trace-events <n>', 'the trace keeps this many events; later ones are not recorded (default 500000)', parseMaxTraceEvents)
    .option('--max-file-size <size>', 'largest scenario file read (default 1MB), e.g. 5MB', parseFileSize)
    .option('--index-lag <time>', 'how long a write takes to reach the global secondary indexes, e.g. 200ms (default 0: at once)', parseIndexLag)
    .option('--ttl-delay <time>', "how long after its Time to Live expiry an item is deleted, e.g. 2d (default the scenario's ttlDelay, else 0: at its expiry)", parseTtlDelay)
    .addHelpText(
      'after',
      `
The first line on stdout is "geosim serve: http://127.0.0.1:PORT REGION,REGION,...".

Examples:
  geosim serve                                        us-east-1 and eu-west-1 on port 8000
  geosim serve --regions us-east-1,eu-west-1,ap-south-1 --lag 1s --trace session.json
  geosim serve scenarios/pause-replication.yaml --time-scale 10
  aws dynamodb list-tables --endpoint-url http://127.0.0.1:8000 --region eu-west-1

Ctrl-C (or SIGTERM) stops it: the trace is written, then "geosim serve: stopped (SIGINT) after ...".
Exit codes: 0 stopped cleanly, 2 bad input (flag, scenario) or the trace reached --max-trace-events,
3 the port is in use or the trace cannot be written.`,
    )
    .action(async (scenario: string | undefined, flags: ServeFlags) => {
      const { serveCommand } = await import('../serve-command.js');
      setExit(await serveCommand(scenario, flags, io));
    });
}
