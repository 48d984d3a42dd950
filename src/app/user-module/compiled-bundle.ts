/**
 * A team's bundled code (a handler module, a `custom` merge module) compiled into one function, by
 * file name: compiled again only when the bundle's code changed. Each call of the function is a
 * fresh evaluation with its own module scope, so runs that load the same module (every run of
 * `geosim explore`, each scenario of a run) share its bytecode and V8's optimized code instead of
 * compiling it per run: per run, that compile was a third of the CPU of a short explore run through
 * a team's handler, and kept V8's compiler threads busy.
 */
import { Module } from 'node:module';
import { compileFunction } from 'node:vm';

export type Evaluate = (...args: unknown[]) => void;

/** `sourceMap`: the module object Node keeps the bundle's source map under (see registerSourceMap). */
const compiled = new Map<string, { code: string; evaluate: Evaluate; sourceMap: object | undefined }>();

/** The function of `code` with `parameters`, compiled under `filename` (each file name has one parameter list). */
export function compiledBundle(filename: string, code: string, parameters: readonly string[]): Evaluate {
  const cached = compiled.get(filename);
  if (cached !== undefined && cached.code === code) return cached.evaluate;
  const sourceMap = registerSourceMap(filename, code);
  const evaluate = compileFunction(code, [...parameters], { filename }) as Evaluate;
  compiled.set(filename, { code, evaluate, sourceMap });
  return evaluate;
}

/**
 * Node maps stack frames through an inline source map only for code its module loader compiled,
 * keyed by file name. Compiling just the map's comment under the bundle's name registers the map
 * for the frames of the function compiled under the same name. Maps are applied when source maps
 * are enabled (`--enable-source-maps`, or `process.setSourceMapsEnabled(true)`), so it is on here.
 * Node keeps the map of CommonJS code only as long as its module object lives (a WeakMap): the
 * holder returned is kept with the compiled function, or a garbage collection would unmap the
 * frames (and the `(at file:line:col)` of failures would depend on when one ran).
 */
function registerSourceMap(filename: string, code: string): object | undefined {
  const at = code.lastIndexOf('//# sourceMappingURL=');
  if (at < 0) return undefined;
  process.setSourceMapsEnabled(true);
  const holder = new Module(filename) as Module & { _compile(content: string, filename: string): void };
  holder.filename = filename;
  holder._compile(code.slice(at), filename);
  return holder;
}
