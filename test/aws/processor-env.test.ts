import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/app/event-processor.js';
import type { TablePort } from '../../src/app/table-port.js';
import { createHandler } from '../../src/aws/handler.js';
import { CONSISTENCY_MODES, processorOptions, STRATEGY_NAMES, strategyFrom } from '../../src/aws/processor-env.js';

// The options only hold ports; nothing here calls one.
const portFor = (region: string) => ({ region }) as unknown as TablePort;
const now = () => 0;
const base = { TABLE_NAME: 'GlobalEventTable', AWS_REGION: 'us-east-2' };

describe('the deployed handler reads its design from the environment', () => {
  it('defaults to client-lww, local idempotency and an MREC table', () => {
    const options = processorOptions(base, portFor, now);
    expect(options.strategy).toBe('client-lww');
    expect(options.idempotency.mode).toBe('local');
    expect(options.consistency).toBe('mrec');
    expect(options.table.region).toBe('us-east-2');
  });

  describe('STRATEGY', () => {
    it('accepts lww-item and its old name service-lww as one strategy, the one the application knows', () => {
      const fromNew = strategyFrom({ STRATEGY: 'lww-item' });
      expect(strategyFrom({ STRATEGY: 'service-lww' })).toBe(fromNew);
      expect(STRATEGIES as readonly string[]).toContain(fromNew);
      // Once the application lists lww-item, that is the name it gets.
      expect(fromNew).toBe((STRATEGIES as readonly string[]).includes('lww-item') ? 'lww-item' : 'service-lww');
    });

    it('lists every accepted name, the aliases included, and not custom', () => {
      for (const name of ['lww-item', 'service-lww', 'client-lww', 'version']) expect(STRATEGY_NAMES).toContain(name);
      expect(STRATEGY_NAMES).not.toContain('custom');
      for (const name of STRATEGY_NAMES) expect(() => strategyFrom({ STRATEGY: name }), name).not.toThrow();
    });

    it('refuses custom with the reason, and an unknown name with the accepted ones', () => {
      expect(() => strategyFrom({ STRATEGY: 'custom' })).toThrow(/^STRATEGY=custom cannot run in the deployed handler: its merge function comes from a module/);
      expect(() => strategyFrom({ STRATEGY: 'lww' })).toThrow(`STRATEGY=lww is not one of ${STRATEGY_NAMES.join(', ')}`);
    });
  });

  describe('CONSISTENCY', () => {
    it('passes mrsc to the processor, with local idempotency and no home-region table', () => {
      const options = processorOptions({ ...base, CONSISTENCY: 'mrsc', STRATEGY: 'lww-item' }, portFor, now);
      expect(options.consistency).toBe('mrsc');
      expect(options.idempotency.mode).toBe('local');
      expect(options.idempotency.homeTable).toBeUndefined();
      expect(options.strategy).toBe(strategyFrom({ STRATEGY: 'lww-item' }));
    });

    it('accepts only mrec and mrsc', () => {
      expect(CONSISTENCY_MODES).toEqual(['mrec', 'mrsc']);
      expect(processorOptions({ ...base, CONSISTENCY: 'mrec' }, portFor, now).consistency).toBe('mrec');
      expect(() => processorOptions({ ...base, CONSISTENCY: 'STRONG' }, portFor, now)).toThrow('CONSISTENCY=STRONG is not one of mrec, mrsc');
    });

    it('refuses home-region idempotency on MRSC, where the local record is already seen everywhere', () => {
      expect(() => processorOptions({ ...base, CONSISTENCY: 'mrsc', IDEMPOTENCY: 'home-region', HOME_REGIONS: 'us-east-1,us-east-2' }, portFor, now)).toThrow(
        /^IDEMPOTENCY=home-region is for MREC tables; with CONSISTENCY=mrsc use local/,
      );
    });
  });

  it('is what the Lambda handler builds its processor from (a bad value fails the first event, before any call)', async () => {
    const event = { version: '0', id: 'e', 'detail-type': 'x', source: 'geosim', account: '1', time: '', region: 'us-east-2', resources: [], detail: {} };
    const handle = (env: Record<string, string>) => createHandler({ env: { ...base, ...env }, log: () => {} })(event);
    await expect(handle({ CONSISTENCY: 'strong' })).rejects.toThrow('CONSISTENCY=strong is not one of mrec, mrsc');
    await expect(handle({ STRATEGY: 'custom' })).rejects.toThrow('STRATEGY=custom cannot run in the deployed handler');
  });

  it('keeps home-region on MREC: each key goes to one of HOME_REGIONS, this Region served by its own port', () => {
    const options = processorOptions({ ...base, AWS_REGION: 'us-east-1', IDEMPOTENCY: 'home-region', HOME_REGIONS: 'us-east-1, eu-west-1' }, portFor, now);
    const regions = new Set(['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((k) => options.idempotency.homeTable!(k).region));
    expect([...regions].sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(() => processorOptions({ ...base, IDEMPOTENCY: 'home-region' }, portFor, now)).toThrow('IDEMPOTENCY=home-region needs HOME_REGIONS');
  });
});
