import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';

/** Updates DynamoDB refuses whatever the item holds: reported when the file loads, with the position (issue 10 item 3). */
function problems(steps: string) {
  const result = loadScenarioText(`regions: [us-east-1, eu-west-1]\nsteps:\n${steps}`, 'u.yaml');
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, line: p.line, col: p.col, message: p.message }));
}

describe('load-time checks of updates', () => {
  it('refuses SET and ADD of one attribute, in DynamoDB’s words', () => {
    expect(problems('  - { at: 0, update: { region: us-east-1, id: K1, set: { s: x }, add: { s: 1 } } }\n')).toEqual([
      {
        code: 'overlapping-paths',
        line: 3,
        col: 76,
        message: 'DynamoDB refuses this update: "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [s], path two: [s]"',
      },
    ]);
  });

  it('refuses updating the key attribute, in set or add, in a step or a transaction', () => {
    const found = problems(
      [
        '  - { at: 0, update: { region: us-east-1, id: K1, set: { Id: K2 } } }',
        '  - { at: 1, update: { region: us-east-1, id: K1, add: { Id: 1 } } }',
        '  - { at: 2, transact: { region: us-east-1, ops: [ { update: { id: K1, set: { Id: K2 } } } ] } }',
        '',
      ].join('\n'),
    );
    expect(found.map((p) => [p.code, p.line])).toEqual([
      ['key-update', 3],
      ['key-update', 4],
      ['key-update', 5],
    ]);
    expect(found[0]!.message).toBe('DynamoDB refuses this update: "Cannot update attribute Id. This attribute is part of the key"');
  });

  it('refuses an empty attribute name and accepts a plain update', () => {
    expect(problems('  - { at: 0, update: { region: us-east-1, id: K1, set: { "": 1 } } }\n').map((p) => p.code)).toEqual(['empty-attribute-name']);
    expect(problems('  - { at: 0, update: { region: us-east-1, id: K1, set: { s: x }, add: { n: 1 } } }\n')).toEqual([]);
  });
});
