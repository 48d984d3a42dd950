/**
 * The parser of DynamoDB's expressions: hand-written recursive descent over `tokenize`'s tokens,
 * producing a syntax tree with placeholders still unresolved (`compile.ts` resolves and checks them).
 *
 * Why hand-written and not a parser generator: DynamoDB's syntax errors quote the offending token and
 * the text from the token before it to the token after it (`Syntax error; token: "=", near: "= = :v"`),
 * and report `<EOF>` with the text from the previous token on. Matching those messages needs control
 * over which token the parse fails at; the grammar is small (four expression kinds, one precedence
 * ladder NOT > AND > OR), so a generator would add a build step and a dependency for little.
 *
 * One grammar serves conditions, filters and key conditions: a parenthesised group may hold a
 * condition or an operand (`(n) = :v` is valid in DynamoDB), so `atom` returns either and the
 * callers check which they got; an operand where a condition is needed is a syntax error at the next
 * token, as DynamoDB reports `n` alone (`token: "<EOF>", near: "n"`).
 */
import { validation, type DynamoDBError } from '../errors.js';
import type { Comparator } from './ast.js';
import { tokenize, type Token } from './lexer.js';

export type ExpressionKind = 'ConditionExpression' | 'UpdateExpression' | 'ProjectionExpression' | 'KeyConditionExpression' | 'FilterExpression';

export type RawPathElement = { kind: 'name'; token: Token } | { kind: 'attrName'; token: Token } | { kind: 'index'; index: number };

export type RawNode =
  | { t: 'path'; elements: RawPathElement[] }
  | { t: 'value'; token: Token }
  | { t: 'call'; name: Token; args: RawNode[] }
  | { t: 'compare'; op: Comparator; left: RawNode; right: RawNode }
  | { t: 'between'; operand: RawNode; low: RawNode; high: RawNode }
  | { t: 'in'; operand: RawNode; list: RawNode[] }
  | { t: 'and' | 'or'; left: RawNode; right: RawNode }
  | { t: 'not'; operand: RawNode }
  | { t: 'arith'; op: '+' | '-'; left: RawNode; right: RawNode };

export type RawUpdateAction =
  | { kind: 'SET'; path: RawNode & { t: 'path' }; value: RawNode }
  | { kind: 'REMOVE'; path: RawNode & { t: 'path' } }
  | { kind: 'ADD' | 'DELETE'; path: RawNode & { t: 'path' }; value: RawNode & { t: 'value' } };

const COMPARATORS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
/** Nesting parsed by descent; deeper is answered at once (see Parser.refuseDeepNesting). */
const MAX_NESTING = 1000;
const SECTIONS = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
/** Words the grammar itself uses: never attribute names, in any expression (`SET a = remove` is a syntax error at "remove"). */
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', ...SECTIONS]);
type Section = (typeof SECTIONS)[number];

/**
 * A parsed condition or update: its raw tree, and the operators in it as DynamoDB counts them
 * (AND, OR, NOT, a comparator, BETWEEN, IN, `+` or `-`, each function call; not parentheses,
 * paths, placeholders, nor an update's sections and `=`), for compile.ts to hold to DynamoDB's limit.
 */
export interface Parsed<T> {
  tree: T;
  operators: number;
}

/** Whether a node is a condition (true/false) rather than an operand; calls can be either. */
export function isConditionNode(node: RawNode): boolean {
  return node.t !== 'path' && node.t !== 'value' && node.t !== 'arith';
}

/** "Invalid <kind>: <detail>" as DynamoDB words errors found in one expression. */
export function invalid(kind: ExpressionKind, detail: string): DynamoDBError {
  return validation(`Invalid ${kind}: ${detail}`);
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** The groups read so far: the index of each `(` token, to its `)`'s (see `closeGroup`). */
  private readonly groups = new Map<number, number>();
  /**
   * Nodes read in a group that held nothing but another group (`((a = :v))`): refused as redundant
   * where the grammar takes them (see `closeGroup`), not where it does not (`((a))` alone is a
   * syntax error at the token after it, as DynamoDB answers).
   */
  private readonly redundant = new WeakSet<RawNode>();
  /** Operators read so far (see Parsed), counted as their nodes are made: no second walk of the tree. */
  operators = 0;

  constructor(
    private readonly source: string,
    private readonly kind: ExpressionKind,
  ) {
    if (source.trim() === '') throw invalid(kind, 'The expression can not be empty;');
    this.tokens = tokenize(source);
    this.refuseDeepNesting();
  }

  /**
   * An expression nested deeper than MAX_NESTING is answered without descending into it (each
   * level costs the parse several stack frames, and 2,000 levels overflowed the stack). Within
   * DynamoDB's 4 KB such an expression can hold nothing but redundant groups (each level of a
   * group that holds more than another group takes more bytes than that), or groups left open:
   * answered as redundant, or as the syntax error at its end. (A bare operand so deep, which
   * DynamoDB calls a syntax error, is called redundant here.)
   */
  private refuseDeepNesting(): void {
    let depth = 0;
    let deepest = 0;
    for (const token of this.tokens) {
      if (token.kind !== 'punct') continue;
      if (token.text === '(') deepest = Math.max(deepest, ++depth);
      else if (token.text === ')') depth--;
    }
    if (deepest <= MAX_NESTING) return;
    if (depth === 0) throw invalid(this.kind, 'The expression has redundant parentheses;');
    this.pos = this.tokens.length - 1;
    throw this.fail();
  }

  private get token(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const token = this.tokens[this.pos]!;
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private isPunct(text: string): boolean {
    return this.token.kind === 'punct' && this.token.text === text;
  }

  private isKeyword(word: string): boolean {
    return this.token.kind === 'name' && this.token.text.toUpperCase() === word;
  }

  /** DynamoDB's syntax error at the current token, quoting the text from the token before to the token after. */
  fail(): DynamoDBError {
    const token = this.token;
    const before = this.pos > 0 ? this.tokens[this.pos - 1]! : token;
    const after = token.kind === 'eof' ? token : this.tokens[this.pos + 1]!;
    const near = this.source.slice(before.start, after.kind === 'eof' ? this.source.length : after.end);
    return invalid(this.kind, `Syntax error; token: "${token.text}", near: "${near}"`);
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.fail();
    this.next();
  }

  end(): void {
    if (this.token.kind !== 'eof') throw this.fail();
  }

  // ----- conditions: or > and > not > predicate > atom

  condition(): RawNode {
    const node = this.or();
    if (!isConditionNode(node)) throw this.fail();
    return this.taken(node);
  }

  /** `node`, read where the grammar takes it: refused if it stood in redundant parentheses. */
  private taken(node: RawNode): RawNode {
    if (this.redundant.has(node)) throw invalid(this.kind, 'The expression has redundant parentheses;');
    return node;
  }

  private or(): RawNode {
    let left = this.and();
    while (this.isKeyword('OR')) {
      if (!isConditionNode(left)) throw this.fail();
      this.taken(left);
      this.next();
      this.operators++;
      left = { t: 'or', left, right: this.conditionOperand(() => this.and()) };
    }
    return left;
  }

  private and(): RawNode {
    let left = this.not();
    while (this.isKeyword('AND')) {
      if (!isConditionNode(left)) throw this.fail();
      this.taken(left);
      this.next();
      this.operators++;
      left = { t: 'and', left, right: this.conditionOperand(() => this.not()) };
    }
    return left;
  }

  private not(): RawNode {
    if (this.isKeyword('NOT')) {
      this.next();
      this.operators++;
      return { t: 'not', operand: this.conditionOperand(() => this.not()) };
    }
    return this.predicate();
  }

  private conditionOperand(parse: () => RawNode): RawNode {
    const node = parse();
    if (!isConditionNode(node)) throw this.fail();
    return this.taken(node);
  }

  private predicate(): RawNode {
    const left = this.atom();
    const token = this.token;
    if (token.kind === 'punct' && COMPARATORS.has(token.text)) {
      if (isConditionNode(left) && left.t !== 'call') throw this.fail();
      this.taken(left);
      this.next();
      this.operators++;
      return { t: 'compare', op: token.text as Comparator, left, right: this.operandAtom() };
    }
    if (this.isKeyword('BETWEEN')) {
      if (isConditionNode(left) && left.t !== 'call') throw this.fail();
      this.taken(left);
      this.next();
      this.operators++;
      const low = this.operandAtom();
      if (!this.isKeyword('AND')) throw this.fail();
      this.next();
      return { t: 'between', operand: left, low, high: this.operandAtom() };
    }
    if (this.isKeyword('IN')) {
      if (isConditionNode(left) && left.t !== 'call') throw this.fail();
      this.taken(left);
      this.next();
      this.operators++;
      this.expectPunct('(');
      const list = [this.operandAtom()];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.operandAtom());
      }
      this.expectPunct(')');
      return { t: 'in', operand: left, list };
    }
    return left;
  }

  private operandAtom(): RawNode {
    const node = this.atom();
    if (isConditionNode(node) && node.t !== 'call') throw this.fail();
    return this.taken(node);
  }

  private atom(): RawNode {
    if (!this.isPunct('(')) return this.operand();
    // (written out, not through a helper taking a callback: every level of nesting costs stack,
    // and an expression of 4 KB may nest 2,000 deep)
    const open = this.openGroup();
    const inner = this.or();
    return this.closeGroup(open, inner, false);
  }

  /** Reads the `(` of a group; returns its index for `closeGroup`. */
  private openGroup(): number {
    const open = this.pos;
    this.next();
    return open;
  }

  /**
   * Reads the `)` of the group opened at `open`, around `inner`. A group that holds nothing but
   * another group (`((a = :v))`, `NOT ((x))`, `SET p = ((:v))`) is refused as DynamoDB refuses it:
   * at once in an update (`now`), else where the grammar takes what it holds (`taken`: `((a))`
   * alone is a syntax error at the token after it). A function's or IN's own parentheses are no
   * group (`size((a))`).
   */
  private closeGroup(open: number, inner: RawNode, now: boolean): RawNode {
    this.expectPunct(')');
    const close = this.pos - 1;
    this.groups.set(open, close);
    if (this.groups.get(open + 1) === close - 1) {
      if (now) throw invalid(this.kind, 'The expression has redundant parentheses;');
      this.redundant.add(inner);
    }
    return inner;
  }

  // ----- operands: path | :value | function(args)

  /** A path, a `:value`, or a function call (whose arguments are operands). */
  operand(): RawNode {
    const token = this.token;
    if (token.kind === 'attrValue') {
      this.next();
      return { t: 'value', token };
    }
    if (token.kind === 'name' && this.tokens[this.pos + 1]!.kind === 'punct' && this.tokens[this.pos + 1]!.text === '(') {
      this.next();
      this.next();
      this.operators++;
      const args = [this.argument()];
      while (this.isPunct(',')) {
        this.next();
        args.push(this.argument());
      }
      this.expectPunct(')');
      return { t: 'call', name: token, args };
    }
    return this.path();
  }

  /** A function's argument: an operand, maybe in parentheses (`size((a))`; `:a + :b` is a syntax error there, in an update too, as DynamoDB says). */
  private argument(): RawNode {
    if (!this.isPunct('(')) return this.operand();
    const open = this.openGroup();
    return this.taken(this.closeGroup(open, this.argument(), false));
  }

  path(): RawNode & { t: 'path' } {
    const elements: RawPathElement[] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        elements.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.next();
        const token = this.token;
        if (token.kind !== 'number') throw this.fail();
        this.next();
        this.expectPunct(']');
        elements.push({ kind: 'index', index: Number(token.text) });
      } else {
        return { t: 'path', elements };
      }
    }
  }

  private pathName(): RawPathElement {
    const token = this.token;
    if (token.kind === 'name' && !KEYWORDS.has(token.text.toUpperCase())) {
      this.next();
      return { kind: 'name', token };
    }
    if (token.kind === 'attrName') {
      this.next();
      return { kind: 'attrName', token };
    }
    throw this.fail();
  }

  // ----- update: (SET … | REMOVE … | ADD … | DELETE …)+

  update(): RawUpdateAction[] {
    const actions: RawUpdateAction[] = [];
    const seen = new Set<Section>();
    do {
      const section = SECTIONS.find((s) => this.isKeyword(s));
      if (section === undefined) throw this.fail();
      if (seen.has(section)) throw invalid(this.kind, `The "${section}" section can only be used once in an update expression;`);
      seen.add(section);
      this.next();
      for (;;) {
        actions.push(this.updateAction(section));
        if (!this.isPunct(',')) break;
        this.next();
      }
    } while (this.token.kind !== 'eof');
    return actions;
  }

  private updateAction(section: Section): RawUpdateAction {
    const path = this.path();
    switch (section) {
      case 'SET':
        this.expectPunct('=');
        return { kind: 'SET', path, value: this.setValue() };
      case 'REMOVE':
        return { kind: 'REMOVE', path };
      case 'ADD':
      case 'DELETE': {
        const token = this.token;
        if (token.kind !== 'attrValue') throw this.fail();
        this.next();
        return { kind: section, path, value: { t: 'value', token } };
      }
    }
  }

  /**
   * A SET action's value, as DynamoDB (Local) takes it: `term`, `term + term` or `term - term`, a
   * term being an operand in any parentheses (`(n) + (:v)`), or the whole value in parentheses
   * (`(n + :v)`), which nothing may follow (`(n + :v) + :w` is a syntax error at its second `+`,
   * and `n + (:v - n)` at its `-`). Read in one pass: a group is a term unless a sum is in it.
   */
  private setValue(): RawNode {
    let left: RawNode;
    if (this.isPunct('(')) {
      const open = this.openGroup();
      left = this.closeGroup(open, this.setValue(), true);
      if (left.t === 'arith') return left;
    } else left = this.operand();
    const token = this.token;
    if (token.kind === 'punct' && (token.text === '+' || token.text === '-')) {
      this.next();
      this.operators++;
      return { t: 'arith', op: token.text, left, right: this.setTerm() };
    }
    return left;
  }

  private setTerm(): RawNode {
    if (!this.isPunct('(')) return this.operand();
    const open = this.openGroup();
    return this.closeGroup(open, this.setTerm(), true);
  }

  // ----- projection: path (, path)* (no operators: DynamoDB holds a projection to no operator limit)

  projection(): Array<RawNode & { t: 'path' }> {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }
}

/**
 * Raw trees of recently parsed expressions, by kind and source: a program sends the same few
 * expression strings again and again (placeholders carry what changes), and parsing was a large
 * part of a write's cost (bench/dynamodb-api.mjs). Raw trees are never modified after parsing, so
 * sharing one is safe; a syntax error is not cached (it throws again). Cleared when full.
 */
const parsed = new Map<string, unknown>();
const PARSE_CACHE_SIZE = 500;

function cached<T>(kind: ExpressionKind, source: string, parse: () => T): T {
  const key = `${kind}\u0000${source}`;
  const hit = parsed.get(key);
  if (hit !== undefined) return hit as T;
  const tree = parse();
  if (parsed.size >= PARSE_CACHE_SIZE) parsed.clear();
  parsed.set(key, tree);
  return tree;
}

export function parseCondition(source: string, kind: ExpressionKind): Parsed<RawNode> {
  return cached(kind, source, () => {
    const parser = new Parser(source, kind);
    const tree = parser.condition();
    parser.end();
    return { tree, operators: parser.operators };
  });
}

export function parseUpdate(source: string): Parsed<RawUpdateAction[]> {
  return cached('UpdateExpression', source, () => {
    const parser = new Parser(source, 'UpdateExpression');
    const tree = parser.update();
    parser.end();
    return { tree, operators: parser.operators };
  });
}

export function parseProjection(source: string): Array<RawNode & { t: 'path' }> {
  return cached('ProjectionExpression', source, () => {
    const parser = new Parser(source, 'ProjectionExpression');
    const paths = parser.projection();
    parser.end();
    return paths;
  });
}
