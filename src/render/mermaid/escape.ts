import { escapeControlChars } from '../control-chars.js';

/**
 * Escaping for text that goes into Mermaid labels (messages, notes, participant aliases, box and
 * node titles).
 *
 * Mermaid reads `;` as a statement separator, `#` as the start of an entity code (`#59;`), `%%` as
 * a comment, `:` as the separator between a message's arrow and its text, and `<`/`>`/`"` as HTML
 * once the label reaches the SVG. Each of those is written as a Mermaid entity code (`#59;`, `#35;`,
 * ...), which Mermaid turns back into the character when it draws the label, so what the reader sees
 * is the original text. Line breaks become spaces: every label is one statement on one line; other
control characters are shown escaped (`\x1b`), as in every view.
 *
 * @example
 * escapeLabel('a;b #1: <x>') // 'a#59;b #35;1#58; #lt;x#gt;'
 *
 * Measured with mermaid 11.17's parser: an unescaped `;` is a syntax error and an unescaped `#`
 * silently cuts the message short.
 */
export function escapeLabel(text: string): string {
  let out = '';
  for (const ch of escapeControlChars(text.replace(/\r\n|\r|\n|\t/g, ' '))) {
    out += ENTITY[ch] ?? ch;
  }
  return out;
}

// One pass over the text, so the `#` and `;` of an entity we emit are never escaped again.
const ENTITY: Record<string, string> = {
  '#': '#35;',
  ';': '#59;',
  ':': '#58;',
  '%': '#37;',
  '<': '#lt;',
  '>': '#gt;',
  '"': '#quot;',
};

/**
 * Escaping for flowchart node and edge labels, which are written inside double quotes
 * (`id["label"]`): only the quote, `#` and `;` (entity syntax) and angle brackets need care there.
 */
export function escapeQuotedLabel(text: string): string {
  let out = '';
  for (const ch of escapeControlChars(text.replace(/\r\n|\r|\n|\t/g, ' '))) {
    out += QUOTED_ENTITY[ch] ?? ch;
  }
  return out;
}

const QUOTED_ENTITY: Record<string, string> = {
  '#': '#35;',
  ';': '#59;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
};

/** A Mermaid identifier made from arbitrary text: letters, digits and `_` only. */
export function mermaidId(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(id) ? id : `n_${id}`;
}
