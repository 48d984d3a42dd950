import { describe, expect, it } from 'vitest';
import { cut, cutWords, num, thousands, title, xml } from '../../../src/render/spacetime/svg.js';

describe('spacetime svg helpers', () => {
  it('rounds numbers to one decimal, never writing -0', () => {
    expect([num(1.26), num(2), num(-0.01), num(0.05), num(1234.5678)]).toEqual(['1.3', '2', '0', '0.1', '1234.6']);
  });

  it('escapes XML and shows control characters escaped', () => {
    expect(xml(`a<b>&"c'\u0007`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;\\x07');
  });

  it('cuts text with an ellipsis, at a word boundary when one is near, dropping a dangling "by"', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('abc', 4)).toBe('abc');
    expect(cutWords('{status: paid} v2 by us-east-1 ts 00:00:01.500', 28)).toBe('{status: paid} v2…');
    expect(cutWords('{status: created} v1 by us-east-1', 28)).toBe('{status: created} v1…');
    expect(cutWords('abcdefghijklmnopqrstuvwxyz0123456789', 10)).toBe('abcdefghi…');
  });

  it('keeps a title\'s lines as lines (a hover shows them so), escaping control characters within each', () => {
    expect(title('SEND A\nAPPLY <B>\u0007')).toBe('<title>SEND A\nAPPLY &lt;B&gt;\\x07</title>');
    expect(title('one line')).not.toContain('\\n');
  });

  it('writes thousands without the locale', () => {
    expect([thousands(117893), thousands(2000), thousands(999), thousands(1234567)]).toEqual(['117,893', '2,000', '999', '1,234,567']);
  });
});
