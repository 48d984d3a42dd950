/**
 * Text from a scenario file shown on a terminal: control characters (ESC, BEL, NUL, DEL, the C1
 * range) and the invisible bidirectional and line-separator characters are written as escapes
 * (`\x1b`, `\u202e`), so a file can never clear the screen, retitle the terminal or reorder
 * what a message says.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text with every unprintable character escaped (newlines and tabs too). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/** Several lines of text (a message for stderr): newlines stay, everything else is escaped. */
export function printableLines(text: string): string {
  return text.replace(UNPRINTABLE_BUT_NEWLINE, escapeChar);
}

/** A string value quoted for a message: `"a\x1bb"`, with quotes and backslashes escaped too. */
export function quoted(text: string): string {
  return `"${printable(text.replace(/["\\]/g, '\\$&'))}"`;
}

/**
 * A path in a command a message offers to run (`run it: geosim run <path>`), as a POSIX shell
 * reads it back: as it is when the shell would not take it apart, else in single quotes
 * (`'new dir/it'\''s.yaml'`), so that it pastes as the one argument it is.
 */
export function shellWord(text: string): string {
  if (/^[\p{L}\p{N}_@%+=:,./-]+$/u.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
