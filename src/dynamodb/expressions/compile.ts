/**
 * From parsed expressions to checked syntax trees: what DynamoDB checks before it reads the item.
 * Per expression, in DynamoDB's order: syntax (the parser), reserved words, undefined placeholders,
 * functions (name, where used, operand count, document-path operands), operand types known from the
 * values, then distinct operands and bounds, overlapping paths, and last the number of operators;
 * across the request: placeholders defined but unused.
 * Messages are DynamoDB Local's (table in test/dynamodb/expressions/messages.test.ts).
 */
import { DynamoDBError, validation } from '../errors.js';
import { compareValues, normalizeValue } from '../value-ops.js';
import { ATTRIBUTE_TYPES, typeOf, type AttributeValue } from '../values.js';
import { printPath, type Condition, type Operand, type Path, type PathElement, type Projection, type Update, type UpdateAction } from './ast.js';
import type { Token } from './lexer.js';
import { invalid, isConditionNode, parseCondition, parseProjection, parseUpdate, type ExpressionKind, type RawNode, type RawUpdateAction } from './parser.js';
import { isReservedWord } from './reserved-words.js';

/** The longest placeholder (`#name` or `:value`) DynamoDB takes. */
const MAX_PLACEHOLDER = 255;

export interface ExpressionInput {
  ConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export interface CompileOptions {
  /**
   * The expressions were written from legacy parameters (legacy.ts), not by the caller: DynamoDB
   * holds legacy conditions, updates and attribute lists to none of its limits on an expression
   * (size, operators), which a rewrite of a few hundred of them passes.
   */
  fromLegacy?: boolean;
}

export interface CompiledExpressions {
  condition?: Condition;
  update?: Update;
  projection?: Projection;
  keyCondition?: Condition;
  filter?: Condition;
}

/** The long type names DynamoDB uses in ADD / DELETE operand messages. */
const LONG_TYPE_NAMES: Record<string, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', M: 'MAP', L: 'LIST',
  SS: 'STRING_SET', NS: 'NUMBER_SET', BS: 'BINARY_SET',
};

const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};
const CONDITION_OPERAND_FUNCTIONS: Record<string, number> = { size: 1 };
const UPDATE_OPERAND_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
const ALL_FUNCTIONS = new Set([...Object.keys(CONDITION_FUNCTIONS), ...Object.keys(CONDITION_OPERAND_FUNCTIONS), ...Object.keys(UPDATE_OPERAND_FUNCTIONS)]);

/** Most operands of IN DynamoDB accepts. */
export const MAX_IN_OPERANDS = 100;

/** Placeholders of one request and which of them the expressions used. */
class Placeholders {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  private readonly values = new Map<string, AttributeValue>();

  constructor(
    private readonly names: Record<string, string> | undefined,
    values: Record<string, AttributeValue> | undefined,
  ) {
    if (names !== undefined && Object.keys(names).length === 0) throw validation('ExpressionAttributeNames must not be empty');
    if (values !== undefined && Object.keys(values).length === 0) throw validation('ExpressionAttributeValues must not be empty');
    // (a placeholder is at most 255 characters, an attribute name under 64 KB: DynamoDB Local's words)
    for (const key of Object.keys(names ?? {})) {
      if (!/^#[A-Za-z0-9_]+$/.test(key)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
      if (key.length > MAX_PLACEHOLDER) throw validation(`ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ${key.length}`);
      if (names![key] === '') throw validation(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
      if (typeof names![key] === 'string' && Buffer.byteLength(names![key]) >= 65_536) throw validation(`ExpressionAttributeNames contains invalid value: Attribute name is too large, must be less than 65536 bytes for key ${key}`);
    }
    for (const key of Object.keys(values ?? {})) {
      if (!/^:[A-Za-z0-9_]+$/.test(key)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      if (key.length > MAX_PLACEHOLDER) throw validation('ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;');
    }
    for (const key of Object.keys(values ?? {})) {
      try {
        this.values.set(key, normalizeValue(values![key]!));
      } catch (error) {
        // JSON of the wrong kind is the deserializer's SerializationException, as in an Item
        if (error instanceof DynamoDBError && error.name === 'SerializationException') throw error;
        if (error instanceof Error) throw validation(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
        throw error;
      }
    }
  }

  hasName(placeholder: string): boolean {
    return this.names !== undefined && Object.hasOwn(this.names, placeholder);
  }

  name(placeholder: string): string {
    this.usedNames.add(placeholder);
    return this.names![placeholder]!;
  }

  hasValue(placeholder: string): boolean {
    return this.values.has(placeholder);
  }

  value(placeholder: string): AttributeValue {
    this.usedValues.add(placeholder);
    return this.values.get(placeholder)!;
  }

  checkAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length > 0) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = [...this.values.keys()].filter((k) => !this.usedValues.has(k));
    if (unusedValues.length > 0) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}

/** The tokens of a raw tree that name attributes or placeholders, in source order. */
function tokensOf(nodes: readonly RawNode[]): Token[] {
  const out: Token[] = [];
  const visit = (node: RawNode): void => {
    switch (node.t) {
      case 'path':
        for (const e of node.elements) if (e.kind !== 'index') out.push(e.token);
        return;
      case 'value':
        out.push(node.token);
        return;
      case 'call':
        node.args.forEach(visit);
        return;
      case 'compare':
      case 'and':
      case 'or':
      case 'arith':
        visit(node.left);
        visit(node.right);
        return;
      case 'between':
        visit(node.operand);
        visit(node.low);
        visit(node.high);
        return;
      case 'in':
        visit(node.operand);
        node.list.forEach(visit);
        return;
      case 'not':
        visit(node.operand);
        return;
    }
  };
  nodes.forEach(visit);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The name and placeholder tokens of a (memoised, immutable) parse tree, once checked for reserved
 * words: both depend on the text alone, so a repeated expression pays for them once.
 */
const checkedTokens = new WeakMap<object, Token[]>();

/** Reserved words first, then undefined names and values, in the order they appear. */
function checkNames(kind: ExpressionKind, tree: object, nodes: () => readonly RawNode[], placeholders: Placeholders): void {
  let tokens = checkedTokens.get(tree);
  if (tokens === undefined) {
    tokens = tokensOf(nodes());
    for (const token of tokens) {
      if (token.kind === 'name' && isReservedWord(token.text)) throw invalid(kind, `Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    }
    checkedTokens.set(tree, tokens);
  }
  for (const token of tokens) {
    if (token.kind === 'attrName' && !placeholders.hasName(token.text)) {
      throw invalid(kind, `An expression attribute name used in the document path is not defined; attribute name: ${token.text}`);
    }
    if (token.kind === 'attrValue' && !placeholders.hasValue(token.text)) {
      throw invalid(kind, `An expression attribute value used in expression is not defined; attribute value: ${token.text}`);
    }
  }
}

/** Elements a document path may have (names and indexes), as DynamoDB counts its nesting levels. */
const MAX_PATH_LEVELS = 32;
/** The highest list index a path may name (a Java int's). */
const MAX_LIST_INDEX = 2 ** 31 - 1;
/** The longest expression, in bytes. */
const MAX_EXPRESSION_BYTES = 4096;

/** Refuses an expression longer than DynamoDB takes, in DynamoDB Local's words. */
function checkSize(kind: ExpressionKind, source: string): void {
  // UTF-16 units first: a unit is at most 3 bytes of UTF-8, so a third of the limit cannot exceed it
  if (source.length * 3 <= MAX_EXPRESSION_BYTES) return;
  const size = Buffer.byteLength(source, 'utf8');
  // (DynamoDB Local gives the size for conditions and filters, not for updates and projections)
  const named = kind !== 'UpdateExpression' && kind !== 'ProjectionExpression';
  if (size > MAX_EXPRESSION_BYTES) throw invalid(kind, `Expression size has exceeded the maximum allowed size;${named ? ` expression size: ${size}` : ''}`);
}

/** Most operators one expression may hold (what counts: Parsed, in parser.ts). */
const MAX_OPERATORS = 300;

/**
 * Refuses an expression of more operators than DynamoDB takes, in DynamoDB Local's words. Checked
 * after every other check of the expression, as Local checks it (a syntax error, an undefined
 * placeholder or an overlap anywhere in it is answered first), and before the next expression's.
 * Local stops counting at the first operator past the limit: its message names 301, however many.
 */
function checkOperators(kind: ExpressionKind, operators: number): void {
  if (operators > MAX_OPERATORS) throw invalid(kind, `The expression contains too many operators; operator count: ${MAX_OPERATORS + 1}`);
}

/** Builds checked trees from raw ones for one expression. */
class Builder {
  constructor(
    private readonly kind: ExpressionKind,
    private readonly placeholders: Placeholders,
  ) {}

  private error(detail: string) {
    return invalid(this.kind, detail);
  }

  path(node: RawNode & { t: 'path' }): Path {
    if (node.elements.length > MAX_PATH_LEVELS) throw this.error(`The document path has too many nesting levels; nesting levels: ${node.elements.length}`);
    return node.elements.map((e): PathElement => {
      switch (e.kind) {
        case 'name':
          return { kind: 'name', name: e.token.text };
        case 'attrName':
          return { kind: 'name', name: this.placeholders.name(e.token.text) };
        case 'index':
          if (e.index > MAX_LIST_INDEX) throw this.error(`List index is not within the allowable range; index: [${e.index}]`);
          return { kind: 'index', index: e.index };
      }
    });
  }

  private operandTypeError(fn: string, value: AttributeValue) {
    return this.error(`Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${typeOf(value)}`);
  }

  private checkCall(node: RawNode & { t: 'call' }, allowed: Record<string, number>): void {
    const name = node.name.text;
    if (!ALL_FUNCTIONS.has(name)) throw this.error(`Invalid function name; function: ${name}`);
    if (!Object.hasOwn(allowed, name)) {
      if (this.kind === 'UpdateExpression') throw this.error(`The function is not allowed in an update expression; function: ${name}`);
      // an update's function (if_not_exists, list_append) anywhere in a condition, filter or key condition
      if (Object.hasOwn(UPDATE_OPERAND_FUNCTIONS, name)) throw this.error(`The function is not allowed in a condition expression; function: ${name}`);
      throw this.error(`The function is not allowed to be used this way in an expression; function: ${name}`);
    }
    if (node.args.length !== allowed[name]) {
      throw this.error(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${node.args.length}`);
    }
  }

  private requirePath(fn: string, node: RawNode): RawNode & { t: 'path' } {
    if (node.t !== 'path') throw this.error(`Operator or function requires a document path; operator or function: ${fn}`);
    return node;
  }

  condition(node: RawNode): Condition {
    switch (node.t) {
      case 'and':
      case 'or':
        return { kind: node.t, left: this.condition(node.left), right: this.condition(node.right) };
      case 'not':
        return { kind: 'not', operand: this.condition(node.operand) };
      case 'compare': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        if (node.op !== '=' && node.op !== '<>') {
          for (const o of [left, right]) if (o.kind === 'value' && !isScalar(o.value)) throw this.operandTypeError(node.op, o.value);
        }
        this.checkDistinct(node.op, left, [right]);
        return { kind: 'compare', op: node.op, left, right };
      }
      case 'between': {
        const operand = this.operand(node.operand);
        const low = this.operand(node.low);
        const high = this.operand(node.high);
        for (const o of [operand, low, high]) if (o.kind === 'value' && !isScalar(o.value)) throw this.operandTypeError('BETWEEN', o.value);
        if (low.kind === 'value' && high.kind === 'value') {
          const bounds = `lower bound operand: AttributeValue: ${javaValue(low.value)}, upper bound operand: AttributeValue: ${javaValue(high.value)}`;
          const order = compareValues(low.value, high.value);
          if (order === undefined) throw this.error(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
          if (order > 0) throw this.error(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
        }
        this.checkDistinct('BETWEEN', operand, [low, high]);
        return { kind: 'between', operand, low, high };
      }
      case 'in': {
        if (node.list.length > MAX_IN_OPERANDS) throw this.error(`The IN operator is provided with too many operands; number of operands: ${node.list.length}`);
        const operand = this.operand(node.operand);
        const list = node.list.map((o) => this.operand(o));
        this.checkDistinct('IN', operand, list);
        return { kind: 'in', operand, list };
      }
      case 'call':
        return this.conditionCall(node);
      case 'path':
      case 'value':
      case 'arith':
        // the parser only lets conditions through here
        throw new Error(`internal: operand where a condition belongs (${node.t})`);
    }
  }

  private conditionCall(node: RawNode & { t: 'call' }): Condition {
    this.checkCall(node, CONDITION_FUNCTIONS);
    const name = node.name.text;
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: name, path: this.path(this.requirePath(name, node.args[0]!)) };
      case 'attribute_type': {
        const path = this.path(this.requirePath(name, node.args[0]!));
        const type = this.operand(node.args[1]!);
        if (type.kind === 'value') {
          if (!('S' in type.value)) throw this.operandTypeError(name, type.value);
          if (!(ATTRIBUTE_TYPES as readonly string[]).includes(type.value.S)) {
            throw this.error(`Invalid attribute type name found; type: ${type.value.S}, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}`);
          }
        }
        return { kind: 'attribute_type', path, type };
      }
      case 'begins_with': {
        const operand = this.operand(node.args[0]!);
        const prefix = this.operand(node.args[1]!);
        for (const o of [operand, prefix]) if (o.kind === 'value' && !('S' in o.value || 'B' in o.value)) throw this.operandTypeError(name, o.value);
        return { kind: 'begins_with', operand, prefix };
      }
      default: {
        const operand = this.operand(node.args[0]!);
        const value = this.operand(node.args[1]!);
        return { kind: 'contains', operand, value };
      }
    }
  }

  /** `n = n`, `n BETWEEN n AND :x`: DynamoDB rejects a path compared with itself. */
  private checkDistinct(op: string, first: Operand, rest: Operand[]): void {
    if (first.kind !== 'path') return;
    const text = printPath(first.path);
    if (rest.some((o) => o.kind === 'path' && printPath(o.path) === text)) {
      throw this.error(`The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${text}`);
    }
  }

  /** An operand of a condition: path, value or size(). */
  operand(node: RawNode): Operand {
    switch (node.t) {
      case 'path':
        return { kind: 'path', path: this.path(node) };
      case 'value':
        return { kind: 'value', value: this.placeholders.value(node.token.text) };
      case 'call': {
        this.checkCall(node, CONDITION_OPERAND_FUNCTIONS);
        const operand = this.operand(node.args[0]!);
        if (operand.kind === 'value' && !hasSize(operand.value)) throw this.operandTypeError('size', operand.value);
        return { kind: 'size', operand };
      }
      default:
        throw new Error(`internal: condition where an operand belongs (${node.t})`);
    }
  }

  /** The right of `SET path = …`; `argument`: a function's argument there (list_append may not be one, as DynamoDB says). */
  setValue(node: RawNode, argument = false): Operand {
    switch (node.t) {
      case 'path':
        return { kind: 'path', path: this.path(node) };
      case 'value':
        return { kind: 'value', value: this.placeholders.value(node.token.text) };
      case 'arith': {
        const left = this.setValue(node.left);
        const right = this.setValue(node.right);
        for (const o of [left, right]) if (o.kind === 'value' && !('N' in o.value)) throw this.operandTypeError(node.op, o.value);
        return { kind: 'arith', op: node.op, left, right };
      }
      case 'call': {
        this.checkCall(node, UPDATE_OPERAND_FUNCTIONS);
        if (node.name.text === 'if_not_exists') {
          const path = this.path(this.requirePath('if_not_exists', node.args[0]!));
          return { kind: 'if_not_exists', path, fallback: this.setValue(node.args[1]!, true) };
        }
        if (argument) throw this.error('The function is not allowed to be used this way in an expression; function: list_append');
        const left = this.setValue(node.args[0]!, true);
        const right = this.setValue(node.args[1]!, true);
        for (const o of [left, right]) if (o.kind === 'value' && !('L' in o.value)) throw this.operandTypeError('list_append', o.value);
        return { kind: 'list_append', left, right };
      }
      default:
        throw new Error(`internal: condition in an update (${node.t})`);
    }
  }

  updateAction(action: RawUpdateAction): UpdateAction {
    const path = this.path(action.path);
    switch (action.kind) {
      case 'SET':
        return { kind: 'SET', path, value: this.setValue(action.value) };
      case 'REMOVE':
        return { kind: 'REMOVE', path };
      case 'ADD':
      case 'DELETE': {
        const value = this.placeholders.value(action.value.token.text);
        const allowed = action.kind === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
        if (!allowed.includes(typeOf(value))) {
          throw this.error(
            `Incorrect operand type for operator or function; operator: ${action.kind}, operand type: ${LONG_TYPE_NAMES[typeOf(value)]}, typeSet: ALLOWED_FOR_${action.kind}_OPERAND`,
          );
        }
        return { kind: action.kind, path, value };
      }
    }
  }
}

function isScalar(value: AttributeValue): boolean {
  return 'S' in value || 'N' in value || 'B' in value;
}

function hasSize(value: AttributeValue): boolean {
  return !('N' in value || 'BOOL' in value || 'NULL' in value);
}

/** A value as DynamoDB's Java messages print it: `{N:9}`, `{S:x}`. */
function javaValue(value: AttributeValue): string {
  const type = typeOf(value);
  const inner = (value as Record<string, unknown>)[type];
  // a binary is a java.nio.ByteBuffer there, printed by its position, limit and capacity (DynamoDB Local)
  if (type === 'B') {
    const bytes = Buffer.from(inner as string, 'base64').length;
    return `{B:java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]}`;
  }
  return `{${type}:${Array.isArray(inner) ? `[${inner.join(', ')}]` : String(inner)}}`;
}

/**
 * Paths of one update or projection must not overlap (one a prefix of the other, or equal) nor
 * conflict (one indexes a list where the other names a map key), in DynamoDB's words.
 */
function checkOverlaps(kind: ExpressionKind, paths: readonly Path[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!;
      const b = paths[j]!;
      let k = 0;
      let relation: 'overlap' | 'conflict' | 'disjoint' = 'overlap';
      for (; k < Math.min(a.length, b.length); k++) {
        const x = a[k]!;
        const y = b[k]!;
        if (x.kind !== y.kind) {
          relation = 'conflict';
          break;
        }
        if ((x.kind === 'name' && x.name !== (y as { name: string }).name) || (x.kind === 'index' && x.index !== (y as { index: number }).index)) {
          relation = 'disjoint';
          break;
        }
      }
      if (relation !== 'disjoint') {
        const what = relation === 'overlap' ? 'overlap' : 'conflict';
        throw invalid(kind, `Two document paths ${what} with each other; must remove or rewrite one of these paths; path one: ${printPath(a)}, path two: ${printPath(b)}`);
      }
    }
  }
}

function compileCondition(source: string, kind: ExpressionKind, placeholders: Placeholders, limited: boolean): Condition {
  if (limited) checkSize(kind, source);
  const { tree: raw, operators } = parseCondition(source, kind);
  checkNames(kind, raw, () => [raw], placeholders);
  if (!isConditionNode(raw)) throw new Error('internal: parser returned an operand');
  const condition = new Builder(kind, placeholders).condition(raw);
  if (limited) checkOperators(kind, operators);
  return condition;
}

function compileUpdate(source: string, placeholders: Placeholders, limited: boolean): Update {
  if (limited) checkSize('UpdateExpression', source);
  const { tree: raw, operators } = parseUpdate(source);
  checkNames('UpdateExpression', raw, () => raw.flatMap((a) => (a.kind === 'REMOVE' ? [a.path] : [a.path, a.value])), placeholders);
  const builder = new Builder('UpdateExpression', placeholders);
  const actions = raw.map((a) => builder.updateAction(a));
  checkOverlaps('UpdateExpression', actions.map((a) => a.path));
  if (limited) checkOperators('UpdateExpression', operators);
  return { actions };
}

function compileProjection(source: string, placeholders: Placeholders, limited: boolean): Projection {
  if (limited) checkSize('ProjectionExpression', source);
  const raw = parseProjection(source);
  checkNames('ProjectionExpression', raw, () => raw, placeholders);
  const builder = new Builder('ProjectionExpression', placeholders);
  const paths = raw.map((p) => builder.path(p));
  checkOverlaps('ProjectionExpression', paths);
  return { paths };
}

/**
 * Parses every expression of one request, resolves placeholders, and checks what DynamoDB checks
 * before touching data: syntax, unused / undefined names and values (across all expressions of the
 * request), overlapping or conflicting update paths, invalid values (empty sets, bad numbers),
 * function names, operand counts and operand types known from the values. Throws DynamoDBError.
 * One expression after another, each checked whole before the next, in DynamoDB Local's order:
 * update, condition, filter, projection, key condition.
 *
 * @example
 * const { update, condition } = compileExpressions({
 *   UpdateExpression: 'SET #s = :s ADD Views :one',
 *   ConditionExpression: 'attribute_exists(Id)',
 *   ExpressionAttributeNames: { '#s': 'Status' },
 *   ExpressionAttributeValues: { ':s': { S: 'done' }, ':one': { N: '1' } },
 * });
 */
export function compileExpressions(input: ExpressionInput, options: CompileOptions = {}): CompiledExpressions {
  // `null` is an absent member, as DynamoDB's JSON protocol reads it (raw JSON may send one; a
  // transaction's entries are not the request's top level, where the wire drops them)
  const placeholders = new Placeholders(input.ExpressionAttributeNames ?? undefined, input.ExpressionAttributeValues ?? undefined);
  const limited = options.fromLegacy !== true;
  const out: CompiledExpressions = {};
  if (input.UpdateExpression != null) out.update = compileUpdate(input.UpdateExpression, placeholders, limited);
  if (input.ConditionExpression != null) out.condition = compileCondition(input.ConditionExpression, 'ConditionExpression', placeholders, limited);
  if (input.FilterExpression != null) out.filter = compileCondition(input.FilterExpression, 'FilterExpression', placeholders, limited);
  if (input.ProjectionExpression != null) out.projection = compileProjection(input.ProjectionExpression, placeholders, limited);
  // a Query's key condition last: DynamoDB Local answers a mistake in its filter or projection
  // (syntax, reserved word, undefined placeholder) before one in its key condition
  if (input.KeyConditionExpression != null) {
    out.keyCondition = compileCondition(input.KeyConditionExpression, 'KeyConditionExpression', placeholders, limited);
  }
  placeholders.checkAllUsed();
  return out;
}
