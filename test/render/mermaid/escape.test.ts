import { describe, expect, it } from 'vitest';
import { escapeLabel, escapeQuotedLabel, mermaidId } from '../../../src/render/mermaid/escape.js';
import { parseDiagram } from './headless-mermaid.js';

describe('escapeLabel', () => {
  it('writes the characters Mermaid reads as syntax as entity codes, in one pass', () => {
    expect(escapeLabel('a;b #1: <x> "q" 50%')).toBe('a#59;b #35;1#58; #lt;x#gt; #quot;q#quot; 50#37;');
    expect(escapeLabel('#59;')).toBe('#35;59#59;');
    expect(escapeLabel('two\nlines\ttab')).toBe('two lines tab');
  });

  it('round-trips every printable ASCII character through Mermaid’s parser', async () => {
    const all = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    const { sequence } = await parseDiagram(`sequenceDiagram\n  A->>B: ${escapeLabel(`x ${all}`)}\n  Note over A: ${escapeLabel(all)}\n`);
    expect(sequence!.messages).toEqual([`x ${all}`, all.trim()]);
  });
});

describe('escapeQuotedLabel', () => {
  it('keeps a flowchart label inside its quotes', async () => {
    const label = 'say "hi"; #1 <b>';
    expect(escapeQuotedLabel(label)).toBe('say #quot;hi#quot;#59; #35;1 #lt;b#gt;');
    await expect(parseDiagram(`flowchart LR\n  a["${escapeQuotedLabel(label)}"] -->|"${escapeQuotedLabel(label)}"| b\n`)).resolves.toMatchObject({ type: 'flowchart-v2' });
  });
});

it('mermaidId makes an identifier from any text', () => {
  expect(mermaidId('us-east-1')).toBe('us_east_1');
  expect(mermaidId('1st region')).toBe('n_1st_region');
});
