/**
 * The compiled trees (src/dynamodb/expressions/ast.ts) of the expressions app-requests.ts writes
 * for one of the application's writes, made straight from its condition tree and attributes: what
 * the endpoint would get by parsing and checking the strings. Each shape of request (operation,
 * expression strings, attribute names) is compared once with what the real compiler makes of it;
 * only a shape that compiles to the same trees is trusted afterwards, so a mistake here costs
 * speed, never behaviour.
 */
import type { Condition as AppCondition } from '../app/condition.js';
import type { WriteOp } from '../app/table-port.js';
import { compileExpressions, markOwnedValues, type CompiledExpressions, type Condition, type Operand, type Path, type UpdateAction } from '../dynamodb/expressions/index.js';
import { expressionInput } from '../dynamodb/operations/items.js';
import { precompiled } from '../dynamodb/operations/precompiled.js';
import { normalizeValue } from '../dynamodb/value-ops.js';
import type { AttributeValue } from '../dynamodb/values.js';

/** Shapes remembered at most (a run has a handful; beyond this, requests just compile as usual). */
const MAX_SHAPES = 10_000;
/** Per shape: whether the trees made here equal the compiler's. */
const verdicts = new Map<string, boolean>();

/** A value the compiler would refuse or treat apart: leave this request to it. */
class Untrusted extends Error {}

/**
 * Marks `input` as compiled when its shape is trusted. `values` are the expression attribute
 * values in placeholder order (`:v0`, `:v1`…), as the request carries them.
 */
export function precompile(op: WriteOp, set: Record<string, unknown> | undefined, input: Record<string, unknown>, operation: string, values: AttributeValue[]): void {
  let expressions: CompiledExpressions;
  let next = 0;
  const taken: Values = {
    next: () => {
      if (next >= values.length) throw new Untrusted();
      return values[next++]!;
    },
    done: () => next === values.length,
  };
  try {
    expressions = compiledFor(op, set, taken);
  } catch (error) {
    if (error instanceof Untrusted) return;
    throw error;
  }
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  const key = `${operation}\u0001${String(input.ConditionExpression ?? '')}\u0001${String(input.UpdateExpression ?? '')}\u0001${names === undefined ? '' : Object.values(names).join('\u0002')}`;
  let trusted = verdicts.get(key);
  if (trusted === undefined) {
    trusted = sameAsCompiler(input, expressions);
    if (verdicts.size < MAX_SHAPES) verdicts.set(key, trusted);
  }
  if (trusted) precompiled(input, expressions);
}

function sameAsCompiler(input: Record<string, unknown>, expressions: CompiledExpressions): boolean {
  let real: CompiledExpressions;
  try {
    real = compileExpressions(expressionInput(input));
  } catch {
    return false; // the endpoint answers it with the compiler's error
  }
  return JSON.stringify(real) === JSON.stringify(expressions);
}

/**
 * The trees of `op`'s request, for a shape already found equal to the compiler's (see
 * `isTrustedShape`), or undefined when a value of this request is one the compiler must judge.
 * The values are converted here from `op` itself (`wire`), in the order their placeholders have.
 */
export function trustedTrees(op: WriteOp, set: Record<string, unknown> | undefined, wire: (value: unknown) => AttributeValue): CompiledExpressions | undefined {
  try {
    const trees = compiledFor(op, set, wireValues(wire), true);
    // its values were made for this request alone (`wire`): the update may store them as they are
    if (trees.update !== undefined) markOwnedValues(trees.update);
    return trees;
  } catch (error) {
    if (error instanceof Untrusted) return undefined;
    throw error;
  }
}

/** The values of a trusted request, converted from its op by `wire`: made once per converter, not per request. */
let wired: { wire: (value: unknown) => AttributeValue; values: Values } | undefined;

function wireValues(wire: (value: unknown) => AttributeValue): Values {
  if (wired === undefined || wired.wire !== wire) wired = { wire, values: { next: wire, done: () => true } };
  return wired.values;
}

/**
 * What the expression strings of a request are made of: its kind, its condition's structure and
 * attribute names, the names it sets and adds. Two ops of one shape get the same strings (only
 * their values differ), so a shape judged once (precompile) is judged for good.
 */
interface Shape {
  readonly kind: WriteOp['kind'];
  readonly condition: AppCondition | undefined;
  readonly set: readonly string[];
  readonly add: readonly string[];
}

/** Shapes whose trees were found equal to the compiler's: a run has a handful, compared in turn without allocating. */
const trustedShapes: Shape[] = [];
const MAX_TRUSTED_SHAPES = 64;

/** Whether `op` (its `set` without the key) has a shape already found equal to the compiler's. */
export function isTrustedShape(op: WriteOp, set: Record<string, unknown> | undefined): boolean {
  for (let i = 0; i < trustedShapes.length; i++) if (sameShape(trustedShapes[i]!, op, set)) return true;
  return false;
}

/** Remembers `op`'s shape as found equal to the compiler's (by precompile, on a full request of it). */
export function trustShape(op: WriteOp, set: Record<string, unknown> | undefined): void {
  if (trustedShapes.length >= MAX_TRUSTED_SHAPES || isTrustedShape(op, set)) return;
  trustedShapes.push({ kind: op.kind, condition: op.condition, set: Object.keys(set ?? {}), add: op.kind === 'update' ? Object.keys(op.add ?? {}) : [] });
}

function sameShape(shape: Shape, op: WriteOp, set: Record<string, unknown> | undefined): boolean {
  if (shape.kind !== op.kind) return false;
  if (shape.condition === undefined ? op.condition !== undefined : op.condition === undefined || !sameConditionShape(shape.condition, op.condition)) return false;
  return op.kind !== 'update' || (sameNames(shape.set, set) && sameNames(shape.add, op.add));
}

/** Whether an object's own names are `names`, in order (for…in: no array made; these objects inherit no enumerable name). */
function sameNames(names: readonly string[], object: object | undefined): boolean {
  let i = 0;
  if (object !== undefined) {
    for (const name in object) {
      if (!Object.hasOwn(object, name)) return false;
      if (names[i] !== name) return false;
      i++;
    }
  }
  return i === names.length;
}

function sameConditionShape(a: AppCondition, b: AppCondition): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'and':
    case 'or': {
      const as = a.kind === 'and' ? a.all : a.any;
      const bs = b.kind === 'and' ? b.all : (b as Extract<AppCondition, { kind: 'or' }>).any;
      if (as.length !== bs.length) return false;
      for (let i = 0; i < as.length; i++) if (!sameConditionShape(as[i]!, bs[i]!)) return false;
      return true;
    }
    default:
      return a.attribute === (b as { attribute: string }).attribute;
  }
}

/** Where a request's values come from, in placeholder order. */
interface Values {
  /** The next value, as the request carries it; `plain` is the op's own value of that placeholder. */
  next(plain: unknown): AttributeValue;
  /** Whether every value was taken. */
  done(): boolean;
}

/**
 * Tree nodes without values, made once per attribute name and shared by every request (the
 * evaluator never changes a tree): most of what a write's trees would otherwise allocate.
 */
const PATHS = new Map<string, Path>();
const EXISTS = new Map<string, Condition>();
const NOT_EXISTS = new Map<string, Condition>();
/** A comparison's path operand (`{ kind: 'path', path }`), per name. */
const PATH_OPERANDS = new Map<string, Operand>();
/** Names remembered at most; past this, nodes are made per request. */
const MAX_NAMES = 10_000;

function path(name: string): Path {
  let p = PATHS.get(name);
  if (p === undefined) {
    p = Object.freeze([Object.freeze({ kind: 'name' as const, name })]);
    if (PATHS.size < MAX_NAMES) PATHS.set(name, p);
  }
  return p;
}

function pathOperand(name: string): Operand {
  let operand = PATH_OPERANDS.get(name);
  if (operand === undefined) {
    operand = Object.freeze({ kind: 'path' as const, path: path(name) });
    if (PATH_OPERANDS.size < MAX_NAMES) PATH_OPERANDS.set(name, operand);
  }
  return operand;
}

function existence(kind: 'attribute_exists' | 'attribute_not_exists', name: string): Condition {
  const cache = kind === 'attribute_exists' ? EXISTS : NOT_EXISTS;
  const known = cache.get(name);
  if (known !== undefined) return known;
  const made: Condition = Object.freeze({ kind, path: path(name) });
  if (cache.size < MAX_NAMES) cache.set(name, made);
  return made;
}

function normalized(values: Values, plain: unknown): AttributeValue {
  const value = values.next(plain);
  // A string, boolean or null is its own normal form; a number made by fromPlain (the only maker
  // of these values) is canonical already. Anything else is normalised as the compiler would.
  if ('S' in value || 'N' in value || 'BOOL' in value || 'NULL' in value) return value;
  // A map or list fromPlain made is in normal form too, unless it holds what the compiler judges
  // (see canonicalAsMade): normalising it was a copy of every map of every write.
  if (('M' in value || 'L' in value) && canonicalAsMade(value)) return value;
  try {
    return normalizeValue(value);
  } catch {
    throw new Untrusted();
  }
}

/**
 * Whether a map or list made by fromPlain is what normalizeValue makes of it: its numbers are
 * canonical, its sets without duplicates and its binaries valid base64 as fromPlain made them; only
 * an empty attribute name (refused) and a binary set (whose elements the compiler compares as
 * decoded bytes) are left to the compiler.
 */
function canonicalAsMade(value: AttributeValue): boolean {
  if ('M' in value) {
    const map = value.M;
    for (const name in map) if (name === '' || !canonicalAsMade(map[name]!)) return false;
    return true;
  }
  if ('L' in value) {
    for (const element of value.L) if (!canonicalAsMade(element)) return false;
    return true;
  }
  return !('BS' in value);
}

/** Whether an item made by fromPlainItem is what normalizeMap makes of it (see canonicalAsMade). */
export function normalAsMade(item: Record<string, AttributeValue>): boolean {
  for (const name in item) if (name === '' || !canonicalAsMade(item[name]!)) return false;
  return true;
}

function conditionTree(c: AppCondition, values: Values): Condition {
  switch (c.kind) {
    case 'attribute-not-exists':
      return existence('attribute_not_exists', c.attribute);
    case 'attribute-exists':
      return existence('attribute_exists', c.attribute);
    case 'equals':
    case 'less-than': {
      const value = normalized(values, c.value);
      // `<` takes S, N or B only: any other value is the compiler's error to give
      if (c.kind === 'less-than' && !('S' in value || 'N' in value || 'B' in value)) throw new Untrusted();
      return { kind: 'compare', op: c.kind === 'equals' ? '=' : '<', left: pathOperand(c.attribute), right: { kind: 'value', value } };
    }
    case 'and':
    case 'or': {
      const parts = c.kind === 'and' ? c.all : c.any;
      // ExpressionBuilder's stand-ins for an empty AND (always true) and an empty OR (never)
      if (parts.length === 0) return { kind: c.kind === 'and' ? 'or' : 'and', left: existence('attribute_exists', 'Id'), right: existence('attribute_not_exists', 'Id') };
      let tree = conditionTree(parts[0]!, values);
      for (let i = 1; i < parts.length; i++) tree = { kind: c.kind, left: tree, right: conditionTree(parts[i]!, values) };
      return tree;
    }
  }
}

/**
 * The ADD actions of the last frozen `add` of a trusted request (the application's version
 * increment, one constant for every write): made once and shared, as applyUpdate never stores an
 * ADD's value (it adds it, or copies it onto a missing attribute) and a frozen `add` cannot change.
 */
let sharedAdds: { add: object; actions: readonly UpdateAction[] } | undefined;

function frozenAdd(action: UpdateAction): UpdateAction {
  Object.freeze((action as Extract<UpdateAction, { kind: 'ADD' }>).value);
  return Object.freeze(action);
}

/**
 * The trees of the request app-requests builds for `op` (its `set` without the key). `trusted`:
 * for a shape already judged (trustedTrees), whose values are converted here, not taken in order.
 */
function compiledFor(op: WriteOp, set: Record<string, unknown> | undefined, values: Values, trusted = false): CompiledExpressions {
  const out: CompiledExpressions = {};
  const compiledCondition = op.condition === undefined ? undefined : conditionTree(op.condition, values);
  if (op.kind === 'update') {
    const add = op.add;
    // made at its size: an array grown by push starts at 16 slots, for the handful of actions of a write
    let count = 0;
    for (const _ in set) count++;
    for (const _ in add) count++;
    const actions = new Array<UpdateAction>(count);
    let i = 0;
    for (const name in set) actions[i++] = { kind: 'SET', path: path(name), value: { kind: 'value', value: normalized(values, set[name]) } };
    const shared = trusted && add !== undefined && sharedAdds?.add === add ? sharedAdds.actions : undefined;
    if (shared !== undefined) for (let j = 0; j < shared.length; j++) actions[i++] = shared[j]!;
    else {
      const first = i;
      for (const name in add) {
        const added = normalized(values, add[name]);
        if (!('N' in added)) throw new Untrusted(); // ADD of anything but a number: the compiler's to judge
        actions[i++] = { kind: 'ADD', path: path(name), value: added };
      }
      if (trusted && add !== undefined && Object.isFrozen(add)) sharedAdds = { add, actions: Object.freeze(actions.slice(first, i).map(frozenAdd)) };
    }
    if (count > 0) out.update = { actions };
  }
  if (compiledCondition !== undefined) out.condition = compiledCondition;
  if (!values.done()) throw new Untrusted();
  return out;
}
