import {
  DEFAULT_IDEMPOTENCY,
  DEFAULT_STRATEGY,
  IDEMPOTENCY_MODES,
  STRATEGIES,
  type EventProcessorOptions,
  type IdempotencyMode,
  type Strategy,
} from '../app/event-processor.js';
import { homeRegion } from '../app/home-region.js';
import type { TablePort } from '../app/table-port.js';
import { oneOf, required, type FunctionEnv } from './function-env.js';

/**
 * The deployed event processor's design, read from the function's environment (src/aws/handler.ts):
 * which conflict strategy, which idempotency design, and which consistency mode the table was
 * created in. The templates set these (infra/template.yaml, infra/template-mrsc.yaml).
 *
 * @example
 * const options = processorOptions({ TABLE_NAME: 'T', AWS_REGION: 'us-east-2', CONSISTENCY: 'mrsc' }, portFor, Date.now);
 * options.consistency; // 'mrsc': the record is put first, then the change (no TransactWriteItems)
 */

export type Consistency = NonNullable<EventProcessorOptions['consistency']>;
/** CONSISTENCY values: the table's mode. Only the MRSC template sets it; unset is 'mrec'. */
export const CONSISTENCY_MODES: readonly Consistency[] = ['mrec', 'mrsc'];
export const DEFAULT_CONSISTENCY: Consistency = 'mrec';

// Issue 15 renamed the service's own rule `service-lww` to `lww-item` and kept the old name as an
// alias. Old stacks keep STRATEGY=service-lww, so the handler accepts both and passes on the name the
// application's STRATEGIES knows: the new one once it has it, the old one before the rename landed.
const RENAMED: Readonly<Record<string, string>> = { 'service-lww': 'lww-item' };

// A strategy the Lambda bundle cannot run is refused when the function starts rather than on the
// first event, with the reason, so a misconfigured stack fails loudly.
const NOT_DEPLOYABLE: Readonly<Record<string, string>> = {
  custom: 'its merge function comes from a module next to the scenario, which the Lambda bundle does not contain',
};

function isKnown(name: string): name is Strategy {
  return (STRATEGIES as readonly string[]).includes(name);
}

/** The application's name for a STRATEGY value, or undefined when it names none. */
function resolveStrategy(name: string): Strategy | undefined {
  const renamed = RENAMED[name];
  if (renamed !== undefined && isKnown(renamed)) return renamed;
  if (isKnown(name)) return name;
  const old = Object.keys(RENAMED).find((key) => RENAMED[key] === name);
  return old !== undefined && isKnown(old) ? old : undefined;
}

/** Every STRATEGY value the deployed handler accepts: the application's strategies and their aliases, less what it cannot run. */
export const STRATEGY_NAMES: readonly string[] = [...new Set([...STRATEGIES, ...Object.keys(RENAMED), ...Object.values(RENAMED)])].filter(
  (name) => resolveStrategy(name) !== undefined && !(name in NOT_DEPLOYABLE),
);

export function strategyFrom(env: FunctionEnv): Strategy {
  const value = env['STRATEGY'];
  if (value === undefined || value === '') return DEFAULT_STRATEGY;
  const reason = NOT_DEPLOYABLE[value];
  if (reason !== undefined) throw new Error(`STRATEGY=${value} cannot run in the deployed handler: ${reason}`);
  const strategy = resolveStrategy(value);
  if (strategy === undefined) throw new Error(`STRATEGY=${value} is not one of ${STRATEGY_NAMES.join(', ')}`);
  return strategy;
}

/**
 * The EventProcessor's options from the environment: TABLE_NAME, AWS_REGION (required), STRATEGY,
 * IDEMPOTENCY, CONSISTENCY, HOME_REGIONS, IDEMPOTENCY_TTL_SECONDS, MAX_RETRIES.
 */
export function processorOptions(env: FunctionEnv, portFor: (region: string) => TablePort, now: () => number): EventProcessorOptions {
  const region = required(env, 'AWS_REGION');
  const strategy = strategyFrom(env);
  const mode = oneOf<IdempotencyMode>(env, 'IDEMPOTENCY', IDEMPOTENCY_MODES, DEFAULT_IDEMPOTENCY);
  const consistency = oneOf<Consistency>(env, 'CONSISTENCY', CONSISTENCY_MODES, DEFAULT_CONSISTENCY);
  // On MRSC a record written in this Region is the latest version in every Region at once, so the
  // local record already catches a retry sent elsewhere; home-region would only add cross-Region calls.
  if (consistency === 'mrsc' && mode === 'home-region') {
    throw new Error('IDEMPOTENCY=home-region is for MREC tables; with CONSISTENCY=mrsc use local (the record is visible in every Region at once)');
  }
  const table = portFor(region);
  const homeRegions = (env['HOME_REGIONS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (mode === 'home-region' && homeRegions.length === 0) throw new Error('IDEMPOTENCY=home-region needs HOME_REGIONS (the replica Regions, comma-separated)');
  const homePorts = new Map(homeRegions.map((r) => [r, r === region ? table : portFor(r)]));
  return {
    table,
    strategy,
    idempotency: {
      mode,
      ttlSeconds: Number(env['IDEMPOTENCY_TTL_SECONDS'] ?? 86_400),
      ...(mode === 'home-region' ? { homeTable: (key: string) => homePorts.get(homeRegion(key, homeRegions))! } : {}),
    },
    maxRetries: Number(env['MAX_RETRIES'] ?? 3),
    now,
    consistency,
  };
}
