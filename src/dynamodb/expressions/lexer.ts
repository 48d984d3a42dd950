/**
 * The tokens of DynamoDB's expression language. Names start with a letter (`_a` and `1a` are syntax
 * errors in DynamoDB: "token: \"_\"", "token: \"1\""), `#name` and `:value` placeholders take letters,
 * digits and `_`, and any other character is a one-character token the parser rejects, so that
 * syntax errors quote the same token DynamoDB quotes.
 */
export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'other' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text (for `eof`, DynamoDB's `<EOF>`). */
  text: string;
  start: number;
  end: number;
}

const PUNCT_2 = new Set(['<>', '<=', '>=']);
const PUNCT_1 = new Set(['=', '<', '>', '(', ')', ',', '.', '[', ']', '+', '-']);

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordChar = (c: string) => isLetter(c) || isDigit(c) || c === '_';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  const word = (from: number): number => {
    let j = from;
    while (j < n && isWordChar(source[j]!)) j++;
    return j;
  };
  while (i < n) {
    const c = source[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (isLetter(c)) {
      i = word(i);
      kind = 'name';
    } else if (isDigit(c)) {
      while (i < n && isDigit(source[i]!)) i++;
      kind = 'number';
    } else if ((c === '#' || c === ':') && i + 1 < n && isWordChar(source[i + 1]!)) {
      i = word(i + 1);
      kind = c === '#' ? 'attrName' : 'attrValue';
    } else if (PUNCT_2.has(source.slice(i, i + 2))) {
      i += 2;
      kind = 'punct';
    } else if (PUNCT_1.has(c)) {
      i++;
      kind = 'punct';
    } else {
      // one code point, so an emoji is quoted whole
      i += (source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      kind = 'other';
    }
    tokens.push({ kind, text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return tokens;
}
