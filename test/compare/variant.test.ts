import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { variantText } from '../../src/compare/variant.js';
import { loadScenarioText } from '../../src/scenario/load.js';

const BASE = `name: v
regions: [us-east-1, eu-west-1]
application:
  idempotency: local
steps:
  - at: 0
    event: { id: e1, region: us-east-1, item: A, data: { n: 1 } }
`;

describe('variantText', () => {
  it('replaces a value already there on its own line', () => {
    const text = BASE.replace('application:\n', 'mode: mrec\napplication:\n  strategy: client-lww\n');
    const v = variantText(text, { mode: 'mrec', strategy: 'version' })!;
    expect(v.text).toBe(text.replace('strategy: client-lww', 'strategy: version'));
    expect(v.text.split('\n')).toHaveLength(text.split('\n').length);
  });

  it('inserts a missing strategy at the top of a block application mapping and places problems at the original lines', () => {
    const v = variantText(BASE, { strategy: 'version' })!;
    expect(parse(v.text).application).toEqual({ strategy: 'version', idempotency: 'local' });
    // Line 4 is the inserted one; the original line 5 (steps) is line 6 of the variant.
    expect(v.text.split('\n')[3]).toBe('  strategy: version');
    const placed = v.place([
      { file: 'f', line: 6, col: 1, length: 1, code: 'x', message: 'm', sourceLine: 'steps:' },
      { file: 'f', line: 4, col: 3, length: 8, code: 'y', message: 'm', sourceLine: '  strategy: version' },
    ]);
    expect(placed.map((p) => p.line)).toEqual([5, 3]);
    // the inserted line is not in the user's file: said at the application key, quoting no line
    expect(placed[1]).toEqual({ file: 'f', line: 3, col: 1, length: 'application'.length, code: 'y', message: 'm (the value compare wrote in)' });
    const appended = variantText(BASE.replace('application:\n  idempotency: local\n', ''), { mode: 'mrsc' })!;
    const atEnd = appended.place([{ file: 'f', line: 7, col: 1, length: 4, code: 'z', message: 'm', sourceLine: 'mode: mrsc' }]);
    expect(atEnd[0]).toMatchObject({ line: 5, message: 'm (the value compare wrote in)' });
    expect(atEnd[0]!.sourceLine).toBeUndefined();
  });

  it('writes into a flow mapping on its line, and appends a missing mode or application at the end', () => {
    const flow = BASE.replace('application:\n  idempotency: local\n', 'application: { idempotency: none }\n');
    expect(parse(variantText(flow, { strategy: 'version' })!.text).application).toEqual({ strategy: 'version', idempotency: 'none' });
    const bare = BASE.replace('application:\n  idempotency: local\n', '');
    const v = variantText(bare, { mode: 'mrec', strategy: 'service-lww' })!;
    expect(v.text.startsWith(bare)).toBe(true);
    expect(parse(v.text)).toMatchObject({ mode: 'mrec', application: { strategy: 'service-lww' } });
    expect(loadScenarioText(v.text, 'v.yaml').ok).toBe(true);
  });

  it('leaves the custom merge out of another strategy’s column, every line where it was (the loader refused the merge beside any other strategy)', () => {
    const block = BASE.replace('application:\n', 'application:\n  strategy: custom\n  merge:\n    module: ./m.ts\n    function: merge\n');
    const other = variantText(block, { strategy: 'lww-item' })!;
    expect(parse(other.text).application).toEqual({ strategy: 'lww-item', idempotency: 'local' });
    expect(other.text.split('\n')).toHaveLength(block.split('\n').length);
    expect(loadScenarioText(other.text, 'v.yaml').ok).toBe(true);
    // the custom column keeps it
    expect(parse(variantText(block, { strategy: 'custom' })!.text).application.merge).toEqual({ module: './m.ts', function: 'merge' });
    const flow = BASE.replace('application:\n  idempotency: local\n', 'application: { strategy: custom, merge: { module: ./m.ts, function: merge }, idempotency: local }\n');
    expect(parse(variantText(flow, { strategy: 'version' })!.text).application).toEqual({ strategy: 'version', idempotency: 'local' });
    const last = BASE.replace('application:\n  idempotency: local\n', 'application: { strategy: custom, merge: { module: ./m.ts, function: merge } }\n');
    expect(parse(variantText(last, { strategy: 'version' })!.text).application).toEqual({ strategy: 'version' });
  });

  it('gives up on what it cannot place in the text (an aliased application), for the caller to load the object instead', () => {
    expect(variantText(`x: &a { idempotency: none }\napplication: *a\n${BASE.slice(BASE.indexOf('steps'))}`, { strategy: 'version' })).toBeUndefined();
    expect(variantText('{ regions: [a, b] }', { mode: 'mrec' })).toBeUndefined();
  });
});
