/**
 * Requests whose expressions arrive already compiled: geosim's own writes (src/sim/app-requests.ts)
 * carry the trees their expression strings compile to, so the endpoint does not parse and check
 * the same few shapes again on every write of a run. The trees ride on the request object under a
 * symbol this module keeps: a request from outside (the wire, the SDK, a program's `call`) cannot
 * carry one and is always compiled. (A symbol, not a WeakMap: a WeakMap entry per write was a
 * large part of what marking cost, in time and in garbage collection.)
 */
import type { CompiledExpressions } from '../expressions/index.js';

const COMPILED = Symbol('geosim.compiledExpressions');

/** Marks `input` (one request, or one entry of a transaction) as compiling to `expressions`. */
export function precompiled(input: object, expressions: CompiledExpressions): void {
  (input as { [COMPILED]?: CompiledExpressions })[COMPILED] = expressions;
}

/** The expressions `input` was marked with, if any. */
export function precompiledFor(input: object): CompiledExpressions | undefined {
  return (input as { [COMPILED]?: CompiledExpressions })[COMPILED];
}

const OWNED = Symbol('geosim.owned');

/**
 * Marks a write request (or a transaction's entry) whose Item or Key its maker built for this
 * request alone, in the form normalisation would give it (canonical numbers, no empty name, no
 * binary set): the endpoint keeps it as it is instead of copying it (a copy of every item and key
 * of geosim's own writes). Like the compiled trees, only geosim's own code can mark a request.
 */
export function owned(input: object): void {
  (input as { [OWNED]?: true })[OWNED] = true;
}

/** Whether `input`'s Item or Key was marked by `owned`. */
export function isOwned(input: object): boolean {
  return (input as { [OWNED]?: true })[OWNED] === true;
}

/*
 * A write request of geosim's own, made with its marks (compiled, and owned when `owns`) as one
 * object: marks added to an object literal afterwards gave every such request a second object to
 * hold them. A class per member (Item or Key), so each request is made at its final shape.
 */
class OwnPut {
  declare TableName: string;
  declare Item: object;
  declare ReturnValuesOnConditionCheckFailure: string | undefined;
  declare [OWNED]: boolean;
  declare [COMPILED]: CompiledExpressions;

  constructor(table: string, item: object, onConditionFailure: string | undefined, owns: boolean, expressions: CompiledExpressions) {
    this.TableName = table;
    this.Item = item;
    this.ReturnValuesOnConditionCheckFailure = onConditionFailure;
    this[OWNED] = owns;
    this[COMPILED] = expressions;
  }
}

class OwnKeyed {
  declare TableName: string;
  declare Key: object;
  declare ReturnValuesOnConditionCheckFailure: string | undefined;
  declare [OWNED]: boolean;
  declare [COMPILED]: CompiledExpressions;

  constructor(table: string, key: object, onConditionFailure: string | undefined, owns: boolean, expressions: CompiledExpressions) {
    this.TableName = table;
    this.Key = key;
    this.ReturnValuesOnConditionCheckFailure = onConditionFailure;
    this[OWNED] = owns;
    this[COMPILED] = expressions;
  }
}

/**
 * `{ TableName, Item, ReturnValuesOnConditionCheckFailure }` marked as compiling to `expressions`
 * and, when `owns`, as owning its item (see `precompiled`, `owned`); the member is left undefined
 * when not given.
 */
export function ownPut(table: string, item: object, onConditionFailure: string | undefined, owns: boolean, expressions: CompiledExpressions): Record<string, unknown> {
  return new OwnPut(table, item, onConditionFailure, owns, expressions) as unknown as Record<string, unknown>;
}

/** `ownPut` of an UpdateItem or DeleteItem request: its `Key`, owned. */
export function ownKeyed(table: string, key: object, onConditionFailure: string | undefined, expressions: CompiledExpressions): Record<string, unknown> {
  return new OwnKeyed(table, key, onConditionFailure, true, expressions) as unknown as Record<string, unknown>;
}
