import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/app/event-processor.js';
import { modeChoices, parseChoiceList, strategyChoices } from '../../src/compare/choices.js';
import { UserError } from '../../src/errors.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

describe('compare choices', () => {
  it('reads the strategies and modes from the scenario schema', () => {
    // The schema's own list: a strategy another part adds there is comparable without touching compare.
    expect(strategyChoices()).toEqual([...STRATEGIES]);
    for (const mode of modeChoices()) expect(scenarioSchema.shape.mode.safeParse(mode).success).toBe(true);
    expect(modeChoices()).toContain('mrec');
  });

  it('parses a comma list in the order given, once per name', () => {
    expect(parseChoiceList('version, client-lww,version', '--strategies', ['client-lww', 'version'], 'strategy')).toEqual(['version', 'client-lww']);
  });

  it('refuses an unknown name with every valid one, as bad input', () => {
    const attempt = () => parseChoiceList('lww,version,nope', '--strategies', ['client-lww', 'version'], 'strategy');
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow('geosim: --strategies: unknown strategies "lww", "nope"; valid: client-lww, version');
    expect(() => parseChoiceList(' , ', '--modes', ['mrec'], 'mode')).toThrow('--modes needs at least one mode');
  });
});
