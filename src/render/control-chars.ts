/**
 * Text from a scenario (ids, names, descriptions, attribute names and values) made safe to print
 * on a terminal: every control character is written as an escape a reader can see, so an id
 * holding `ESC[2J` shows as `\x1b[2J` instead of clearing the screen. `\n`, `\r`, `\t` keep their
 * usual names; other C0 and C1 controls and DEL become `\xHH`; the Unicode line separators and
 * the bidirectional overrides (which reorder what a terminal shows) become `\uHHHH`.
 * Every view (plain text, terminal view, stepper, Mermaid labels) passes user text through this.
 *
 * @example
 * escapeControlChars('a\u001b]0;pwned\u0007') // 'a\\x1b]0;pwned\\x07'
 */
export function escapeControlChars(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROL_ALL, escapeOne) : text;
}

const CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const CONTROL = new RegExp(CLASS);
const CONTROL_ALL = new RegExp(CLASS, 'g');
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * A string in double quotes, as the views show a value that is not a plain word: `"` and `\`
 * take a backslash, control characters are escaped as escapeControlChars does, so a character
 * reads the same (`\x1b`) in a quoted value as in an id. The one quoting of strings for every view.
 *
 * @example
 * quoteString('v\u001b[41m "x"') // '"v\\x1b[41m \\"x\\""'
 */
export function quoteString(text: string): string {
  return `"${escapeControlChars(text.replace(/["\\]/g, (ch) => `\\${ch}`))}"`;
}
