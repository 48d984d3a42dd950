import { startDynamoDbLocal, type DynamoDbLocal } from '../backends/dynamodb-local/server.js';
import { checkDynamoRun, type DynamoRunOptions } from '../backends/dynamodb/run-options.js';
export { checkDynamoFlags } from '../backends/dynamodb/run-options.js';
import { DynamoDbSubstrate } from '../backends/dynamodb/substrate.js';
import type { Scenario } from '../scenario/model.js';
import { Rng } from '../sim/rng.js';
import { TraceRecorder } from '../trace/recorder.js';
import type { RunReport } from '../trace/report.js';
import { simulate } from './run-scenario.js';

/**
 * Runs a scenario on real DynamoDB tables, one per region (DynamoDB Local, a custom endpoint or
 * AWS): the same Simulation as the model's, on the DynamoDB substrate. The tables this run created
 * are deleted at the end, whatever happens (a server geosim started stops with its tables).
 */
export async function runOnDynamoDb(scenario: Scenario, options: DynamoRunOptions, shared?: SharedLocal): Promise<RunReport> {
  checkDynamoRun(scenario, options);
  let server: DynamoDbLocal | undefined;
  if (options.local) server = shared ? await shared.server() : await startDynamoDbLocal();
  try {
    const recorder = new TraceRecorder();
    const { seed, ...rest } = options;
    const substrate = await DynamoDbSubstrate.open(
      scenario,
      { ...rest, endpoints: server?.endpoint ?? options.endpoints },
      new Rng(seed),
      recorder,
    );
    try {
      return await simulate(scenario, seed, substrate, recorder, substrate.backendName, {});
    } finally {
      await substrate.close();
    }
  } finally {
    if (!shared) await server?.stop();
  }
}

/**
 * One DynamoDB Local for the scenarios of one `geosim run --local`: started at the first scenario
 * that needs it (a JVM takes seconds to start; each run's tables have their own names), stopped by
 * `stop()` after the last.
 */
export class SharedLocal {
  private starting: Promise<DynamoDbLocal> | undefined;

  server(): Promise<DynamoDbLocal> {
    this.starting ??= startDynamoDbLocal();
    return this.starting;
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    if (starting) await (await starting.catch(() => undefined))?.stop();
  }
}

