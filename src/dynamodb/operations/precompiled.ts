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
