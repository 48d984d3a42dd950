import { createRequire } from 'node:module';
import { UserError } from '../errors.js';
import type { DataMerge } from './merges.js';
import { bundleUserModule } from './user-module/bundle.js';
import { compiledBundle } from './user-module/compiled-bundle.js';

/**
 * Loads the `custom` strategy's merge function (`application.merge`): bundled with esbuild as a
 * handler module is (user-module/bundle.ts), evaluated as CommonJS. A merge is a pure
 * function of two versions, run inside the stream consumers: it gets no SDK facades, timers or
 * Lambda context. A module that does not load, or whose export is not a function, is bad input
 * (exit 2).
 */
export async function loadMergeFunction(spec: { path: string; given: string; function: string }): Promise<DataMerge> {
  const bundle = await bundleUserModule(spec.path).catch((error: unknown) => {
    // the merge module's mistake, not the handler module's (the bundler names application.module)
    if (error instanceof UserError && error.setting !== undefined) throw new UserError(error.message, { setting: ['application', 'merge', 'module'], code: error.code ?? 'module-syntax' });
    throw error;
  });
  const module = { exports: {} as Record<string, unknown> };
  // compiled once per process and code (compiled-bundle.ts); evaluated afresh per load
  const evaluate = compiledBundle(`${spec.path}.geosim-merge.js`, bundle.code, ['exports', 'require', 'module', '__filename', '__dirname']);
  try {
    evaluate(module.exports, createRequire(spec.path), module, spec.path, spec.path.replace(/[/\\][^/\\]*$/, ''));
  } catch (error) {
    throw new UserError(`${spec.given}: the merge module threw while loading: ${error instanceof Error ? error.message : String(error)}`, { setting: ['application', 'merge', 'module'], code: 'module-threw' });
  }
  const exported = module.exports[spec.function] ?? (spec.function === 'default' ? module.exports : undefined);
  if (typeof exported !== 'function') {
    const names = Object.keys(module.exports).filter((k) => typeof module.exports[k] === 'function');
    throw new UserError(`${spec.given}: exports no function "${spec.function}" (application.merge.function)${names.length > 0 ? `; it exports ${names.join(', ')}` : ''}`, { setting: ['application', 'merge', 'function'], code: 'module-export', given: spec.function, candidates: names });
  }
  return exported as DataMerge;
}
