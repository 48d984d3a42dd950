import { join } from 'node:path';
import { recordingLagSource } from '../../src/explore/lag-recorder.js';
import { lagFloors, pinLags } from '../../src/explore/pin-lags.js';
import { runInput } from '../../src/explore/run-input.js';
import type { RunReport } from '../../src/trace/report.js';

/** The file the inputs stand for (never read: runInput only names it). */
export const FILE = join(import.meta.dirname, 'shrink-input.yaml');

export const run = (input: Record<string, unknown>): Promise<RunReport> => runInput(input, { file: FILE });

export { failureSignature } from '../../src/explore/failure.js';

const LAG = { distribution: 'uniform', min: 300, max: 900 };

/**
 * The planted race: payment PAY#7 sent in us-east-1, and retried in eu-west-1 before the
 * idempotency record has replicated there (idempotency: local), so it takes effect twice. Around
 * it, noise: other orders' events and their retries, reads, a check, a clock-skew fault, two
 * regions nothing needs, and expectations that hold.
 */
export function plantedTemplate(): Record<string, unknown> {
  return {
    name: 'planted',
    description: 'A retry inside the lag window, among noise.',
    seed: 7,
    regions: ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'],
    replication: { lag: LAG },
    clocks: { 'sa-east-1': { skew: 40 } },
    application: { strategy: 'client-lww', idempotency: 'local' },
    faults: [{ at: '1s', until: '3s', clockSkew: { region: 'eu-west-1', skew: -150 } }],
    steps: [
      { at: 0, event: { id: 'order-1', region: 'us-east-1', item: 'ORDER#1', data: { status: 'placed', total: 30 } } },
      { at: 120, event: { id: 'order-2', region: 'eu-west-1', item: 'ORDER#2', data: { status: 'placed' } } },
      { at: 200, event: { id: 'pay-7', region: 'us-east-1', key: 'payment-7', item: 'PAY#7', data: { amount: 42, state: 'captured' } } },
      { at: 250, read: { region: 'us-east-1', item: 'ORDER#1', expect: { Data: { status: 'placed' } } } },
      { at: 450, retry: { of: 'pay-7', region: 'eu-west-1' } },
      { at: 2500, retry: { of: 'order-1', region: 'us-east-1' } },
      { at: '3s', check: { name: 'orders placed', items: { 'ORDER#1': { Data: { status: 'placed' } } }, counts: { events: 5 } } },
      { at: '4s', event: { id: 'order-3', region: 'eu-west-1', item: 'ORDER#3', data: { status: 'shipped', lines: ['a', 'b'] } } },
    ],
    expect: {
      converged: true,
      items: { 'ORDER#2': { Data: { status: 'placed' } }, 'PAY#7': { Data: { amount: 42 } } },
      counts: { events: 6 },
      effects: { 'payment-7': 1, 'order-1': 1 },
    },
  };
}

/** A template made concrete as explore makes it: its lag draws recorded at `seed` and pinned. */
export async function pinned(template: Record<string, unknown>, seed: number): Promise<{ input: Record<string, unknown>; report: RunReport; floors: Record<string, number> }> {
  const recorder = recordingLagSource();
  await runInput({ ...template, seed }, { file: FILE, lagSource: recorder.source });
  const input = pinLags(template, recorder.lags(), seed);
  return { input, report: await run(input), floors: lagFloors(template) };
}

/**
 * Twenty steps of which the failure needs two: eighteen orders' events in both regions, and
 * payment PAY#7 retried in eu-west-1 inside the lag window (the invariant "at most one effect per
 * idempotency key" fails).
 */
export function twentySteps(): Record<string, unknown> {
  const noise = Array.from({ length: 18 }, (_, i) => ({
    at: i * 100,
    event: { id: `order-${i}`, region: i % 2 ? 'eu-west-1' : 'us-east-1', item: `ORDER#${i}`, data: { status: 'placed', n: i } },
  }));
  const steps = [...noise.slice(0, 6), { at: 550, event: { id: 'pay', region: 'us-east-1', item: 'PAY#7', data: { amount: 42 } } }, ...noise.slice(6, 9), { at: 870, retry: { of: 'pay', region: 'eu-west-1' } }, ...noise.slice(9)];
  return { name: 'twenty', seed: 1, regions: ['us-east-1', 'eu-west-1'], replication: { lag: LAG }, application: { strategy: 'client-lww', idempotency: 'local' }, steps };
}
