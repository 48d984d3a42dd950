import { describe, expect, it } from 'vitest';
import { blocks, MIN_COLUMN, renderTable, wrapCell } from '../../src/render/compare-table.js';

describe('compare table layout', () => {
  it('wraps a cell at spaces and cuts a word longer than the column', () => {
    expect(wrapCell('{status: cancelled} v1 by eu-west-1', 20)).toEqual(['{status: cancelled}', 'v1 by eu-west-1']);
    expect(wrapCell('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapCell('short', 10)).toEqual(['short']);
    // a long id keeps its indent and breaks after its own separators (it broke mid-word, unindented)
    expect(wrapCell('  CUSTOMER#7#TOTALS#eu-west-1', 24)).toEqual(['  CUSTOMER#7#TOTALS#', '  eu-west-1']);
    expect(wrapCell('  ITEM-WITH-A-VERY-LONG-NAME', 20)).toEqual(['  ITEM-WITH-A-VERY-', '  LONG-NAME']);
    expect(wrapCell('  CUSTOMER#7#TOTALS#us-east-1', 20)).toEqual(['  CUSTOMER#7#TOTALS#', '  us-east-1']);
    expect(wrapCell('VersionVector={us-east-1: 2}', 16)).toEqual(['VersionVector=', '{us-east-1: 2}']);
  });

  it('keeps narrow columns at their natural width and continues in blocks when the rest do not fit', () => {
    expect(blocks([5, 5, 5], 100).map((b) => b.map((c) => c.width))).toEqual([[5, 5, 5]]);
    // Eight wide columns at 80 columns beside the labels: as many as fit at MIN_COLUMN per block.
    const split = blocks(Array.from({ length: 8 }, () => 40), 80);
    expect(split.length).toBeGreaterThan(1);
    expect(split.flat().map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const block of split) {
      expect(block.reduce((n, c) => n + c.width + 3, 0)).toBeLessThanOrEqual(80);
      for (const c of block) expect(c.width).toBeGreaterThanOrEqual(MIN_COLUMN);
    }
  });

  it('never writes a line wider than asked, whatever the cells hold', () => {
    const headers = Array.from({ length: 6 }, (_, i) => [{ text: 'mrec' }, { text: `strategy-${i}` }]);
    const rows = [
      { label: 'a label that is much longer than the label column allows', cells: headers.map(() => ({ text: 'x'.repeat(70) })) },
      { label: 'lost writes', cells: headers.map((_, i) => ({ text: String(i) })) },
    ];
    for (const width of [60, 80, 100, 140]) {
      const lines = renderTable(headers, rows, { width });
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
      // Every column's header appears, in order.
      expect(lines.join('\n').match(/strategy-\d/g)).toEqual(headers.map((_, i) => `strategy-${i}`));
    }
  });

  it('narrower than the labels and one column of MIN_COLUMN, lists each combination on its own, label: value, still within the width (the table was laid out anyway, wider)', () => {
    const headers = [[{ text: 'mrec' }, { text: 'lww-item' }], [{ text: 'mrsc' }, { text: 'counter' }]];
    const rows = [
      { label: 'final items', heading: true, cells: [{ text: '' }, { text: '' }] },
      { label: '  CUSTOMER#7#TOTALS#eu-west-1', cells: [{ text: '' }, { text: '' }] },
      { label: '    every region', cells: [{ text: '{status: cancelled} v1 by eu-west-1' }, { text: '{status: shipped} v2 by us-west-2' }] },
      { label: 'lost writes', cells: [{ text: '1', tone: 'warn' as const }, { text: '0' }] },
    ];
    // labels 24 wide (the most), and less than MIN_COLUMN + 3 beside them
    for (const width of [24, 30, 36, 40]) {
      const lines = renderTable(headers, rows, { width });
      for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(lines.join('\n')).not.toContain('│');
    }
    expect(renderTable(headers, rows, { width: 40, paint: (tone, t) => (tone === 'warn' ? `<${t}>` : tone === 'head' ? `*${t}*` : t) })).toEqual([
      '*mrec · lww-item*',
      '───────────────',
      '*final items*',
      '  CUSTOMER#7#TOTALS#eu-west-1',
      '    every region: {status: cancelled} v1',
      '      by eu-west-1',
      'lost writes: <1>',
      '',
      '*mrsc · counter*',
      '──────────────',
      '*final items*',
      '  CUSTOMER#7#TOTALS#eu-west-1',
      '    every region: {status: shipped} v2',
      '      by us-west-2',
      'lost writes: 0',
    ]);
    // a value that does not fit beside its label goes under it
    expect(renderTable([[{ text: 'mrec' }]], [{ label: 'a label as long as they come', cells: [{ text: 'a value with words' }] }], { width: 20 })).toEqual(['mrec', '────', 'a label as long as', 'they come:', '  a value with words']);
  });

  it('paints after laying out: widths do not count escape codes', () => {
    const lines = renderTable([[{ text: 'h' }]], [{ label: 'l', cells: [{ text: 'v', tone: 'bad' }] }, { label: 'm', cells: [{ text: 'long value' }] }], { width: 80, paint: (tone, t) => (tone === 'bad' ? `<${t}>` : t) });
    expect(lines.at(-2)).toBe('l        │ <v>');
    expect(lines.at(-1)).toBe('m        │ long value');
  });
});
