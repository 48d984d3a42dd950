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
import { compileExpressions, type CompiledExpressions, type Condition, type UpdateAction } from '../dynamodb/expressions/index.js';
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
  try {
    expressions = compiledFor(op, set, values);
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
 * `shapeOf`), or undefined when a value of this request is one the compiler must judge.
 */
export function trustedTrees(op: WriteOp, set: Record<string, unknown> | undefined, values: AttributeValue[]): CompiledExpressions | undefined {
  try {
    return compiledFor(op, set, values);
  } catch (error) {
    if (error instanceof Untrusted) return undefined;
    throw error;
  }
}

/**
 * What the expression strings of `op`'s request are made of, as a string: its kind, its
 * condition's structure and attribute names, the names it sets and adds (`set` without the key).
 * Two ops of one shape get the same strings (only their values differ).
 */
export function shapeOf(op: WriteOp, set: Record<string, unknown> | undefined): string {
  let shape = op.kind;
  if (op.condition !== undefined) shape += conditionShape(op.condition);
  if (op.kind === 'update') {
    shape += ' set';
    for (const name of Object.keys(set ?? {})) shape += named(name);
    shape += ' add';
    for (const name of Object.keys(op.add ?? {})) shape += named(name);
  }
  return shape;
}

/** A name prefixed by its length: no name can run into the next. */
function named(name: string): string {
  return ` ${name.length}:${name}`;
}

function conditionShape(c: AppCondition): string {
  switch (c.kind) {
    case 'attribute-not-exists':
      return ' !' + named(c.attribute);
    case 'attribute-exists':
      return ' ?' + named(c.attribute);
    case 'equals':
      return ' =' + named(c.attribute);
    case 'less-than':
      return ' <' + named(c.attribute);
    case 'and':
    case 'or': {
      let out = c.kind === 'and' ? ' &(' : ' |(';
      for (const part of c.kind === 'and' ? c.all : c.any) out += conditionShape(part);
      return out + ' )';
    }
  }
}

/** The trees of the request app-requests builds for `op` (its `set` without the key). */
function compiledFor(op: WriteOp, set: Record<string, unknown> | undefined, values: AttributeValue[]): CompiledExpressions {
  let next = 0;
  const value = (): AttributeValue => {
    if (next >= values.length) throw new Untrusted();
    try {
      return normalizeValue(values[next++]!);
    } catch {
      throw new Untrusted();
    }
  };
  const path = (name: string) => [{ kind: 'name' as const, name }];
  const exists = (name: string): Condition => ({ kind: 'attribute_exists', path: path(name) });
  const notExists = (name: string): Condition => ({ kind: 'attribute_not_exists', path: path(name) });
  const condition = (c: AppCondition): Condition => {
    switch (c.kind) {
      case 'attribute-not-exists':
        return notExists(c.attribute);
      case 'attribute-exists':
        return exists(c.attribute);
      case 'equals':
      case 'less-than': {
        const left = { kind: 'path' as const, path: path(c.attribute) };
        const right = { kind: 'value' as const, value: value() };
        // `<` takes S, N or B only: any other value is the compiler's error to give
        if (c.kind === 'less-than' && !('S' in right.value || 'N' in right.value || 'B' in right.value)) throw new Untrusted();
        return { kind: 'compare', op: c.kind === 'equals' ? '=' : '<', left, right };
      }
      case 'and':
      case 'or': {
        const parts = c.kind === 'and' ? c.all : c.any;
        // ExpressionBuilder's stand-ins for an empty AND (always true) and an empty OR (never)
        if (parts.length === 0) return { kind: c.kind === 'and' ? 'or' : 'and', left: exists('Id'), right: notExists('Id') };
        let tree = condition(parts[0]!);
        for (let i = 1; i < parts.length; i++) tree = { kind: c.kind, left: tree, right: condition(parts[i]!) };
        return tree;
      }
    }
  };
  const out: CompiledExpressions = {};
  const compiledCondition = op.condition === undefined ? undefined : condition(op.condition);
  if (op.kind === 'update') {
    const actions: UpdateAction[] = [];
    for (const name of Object.keys(set ?? {})) actions.push({ kind: 'SET', path: path(name), value: { kind: 'value', value: value() } });
    for (const name of Object.keys(op.add ?? {})) {
      const added = value();
      if (!('N' in added)) throw new Untrusted(); // ADD of anything but a number: the compiler's to judge
      actions.push({ kind: 'ADD', path: path(name), value: added });
    }
    if (actions.length > 0) out.update = { actions };
  }
  if (compiledCondition !== undefined) out.condition = compiledCondition;
  if (next !== values.length) throw new Untrusted();
  return out;
}
