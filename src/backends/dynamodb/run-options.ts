import { UserError } from '../../errors.js';
import type { Scenario } from '../../scenario/model.js';
import type { DynamoSubstrateOptions } from './substrate.js';

export interface DynamoRunOptions extends Omit<DynamoSubstrateOptions, 'local'> {
  seed: number;
  /** Start DynamoDB Local on 127.0.0.1 for this run (implies `emulate`). */
  local: boolean;
}

/**
 * The user's mistakes in asking for a DynamoDB run, before anything is created. Every scenario
 * runs: what surrounds the table (Lambda invocation and retries, dead-letter queues, redrive, Step
 * Functions, faults, failover, steps in DynamoDB syntax) is geosim's own, written once above the
 * substrate.
 */
export function checkDynamoRun(scenario: Scenario, options: DynamoRunOptions): void {
  checkDynamoFlags(options);
  if (options.replication === 'native' && (scenario.faults ?? []).some((f) => f.kind === 'pause-replication' || f.kind === 'outage')) {
    throw new UserError(`${scenario.file}: pause-replication and outage faults need --replication emulate (a real global table's replication is AWS's to pause, through FIS)`);
  }
}

/** The flags' own contradictions, whatever the scenario: said once, before any scenario runs. */
export function checkDynamoFlags(options: Pick<DynamoRunOptions, 'timeScale' | 'local' | 'replication' | 'endpoints'>): void {
  if (!(options.timeScale > 0) || !Number.isFinite(options.timeScale)) throw new UserError(`--time-scale must be a positive number, got ${options.timeScale}`);
  if (options.local && options.replication === 'native') {
    throw new UserError('--replication native needs a real global table; DynamoDB Local has none: use --replication emulate with --local');
  }
  if (options.local && options.endpoints !== undefined) throw new UserError('--local starts its own server: leave out --endpoint');
}
