/**
 * loadUserModule: bundle a team's handler module once, then evaluate it afresh per region
 * (`instantiate`), in this realm (the same Promise and Error as geosim), with a `require` that
 * hands out facades of the AWS SDK and refuses the network.
 */
import { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, extname } from 'node:path';
import { ModuleInitError, UserError } from '../../errors.js';
import { bundleFilename, bundleUserModule } from './bundle.js';
import { compiledBundle } from './compiled-bundle.js';
import { dynamoDbFacade } from './dynamodb-facade.js';
import type { LambdaContext } from './lambda-context.js';
import { NETWORK_MODULES, refusedFetch, refusedNetworkModule } from './network.js';
import { lambdaEnvironment, osView, processView } from './process-view.js';
import { currentTimers, TIMER_NAMES } from './module-timers.js';
import { thrownAt } from './thrown-at.js';
import { isAwsClientPackage, isRecordedClientPackage, recordedClientModule, refusedClientModule } from './service-clients.js';
import type { LambdaHandler, RegionServices, UserModuleCode, UserModuleInstance, UserModuleSpec } from './types.js';

/** The parameters of the function the bundle is compiled into: CommonJS's, plus the per-region `process`, `fetch`, `console`, timers and global object. */
const PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'fetch', 'console', ...TIMER_NAMES, 'globalThis', 'global'];

const geosimRequire = createRequire(import.meta.url);

/** What a load measured, for `npm run bench` and reports. */
export interface UserModuleCodeStats {
  bundleMs: number;
  bundleBytes: number;
}

export async function loadUserModule(spec: UserModuleSpec): Promise<UserModuleCode & { stats: UserModuleCodeStats }> {
  const bundle = await bundleUserModule(spec.path);
  // Stack frames in the team's code name its files and lines (not the bundle's) when Node maps them.
  const filename = bundleFilename(spec.path);
  const evaluate = compiledBundle(filename, bundle.code, PARAMETERS);
  const functionName = spec.functionName ?? basename(spec.path, extname(spec.path));
  const moduleRequire = createRequire(spec.path);
  // The real packages are the same for every instance: resolved once per load, not per region.
  const externals = new Map<string, unknown>();
  const external = (id: string): unknown => {
    if (!externals.has(id)) externals.set(id, requireExternal(moduleRequire, id));
    return externals.get(id);
  };
  return {
    stats: { bundleMs: bundle.bundleMs, bundleBytes: bundle.code.length },
    instantiate: (services) => instantiate(spec, functionName, evaluate, external, services),
  };
}

/** Resolves a package from the module's own directory first (its node_modules), then geosim's. */
function requireExternal(moduleRequire: NodeJS.Require, id: string): unknown {
  // A built-in is the same from anywhere; skipping the module's resolution saves a package.json walk per instance.
  if (isBuiltin(id)) return geosimRequire(id);
  try {
    return moduleRequire(id);
  } catch (error) {
    // A path is the team's own file; only a package may come from geosim's install (the SDK).
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND' || /^[./]/.test(id)) throw error;
    return geosimRequire(id);
  }
}

function tryRequire(external: (id: string) => unknown, id: string): object | undefined {
  try {
    return external(id) as object;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function instantiate(
  spec: UserModuleSpec,
  functionName: string,
  evaluate: (...args: unknown[]) => void,
  external: (id: string) => unknown,
  services: RegionServices,
): UserModuleInstance {
  const facades = new Map<string, unknown>();
  /** The instance's own answer for `id`, or undefined where the real package is the answer. */
  const facade = (id: string): unknown => {
    const bare = id.startsWith('node:') ? id.slice(5) : id;
    if (NETWORK_MODULES.has(bare)) return refusedNetworkModule(bare, tryRequire(external, id), services.onRefusal);
    if (bare === '@aws-sdk/client-dynamodb') return dynamoDbFacade(external(bare) as Record<string, unknown>, services);
    // an imported setInterval is the instance's as the global one is (its execution environment's)
    if (bare === 'os') return osView(external('node:os') as typeof import('node:os'));
    // `import process from 'node:process'` is the instance's process, as the global one is (its env, pid, exit)
    if (bare === 'process') return ownProcess;
    if (bare === 'timers' && services.timerModules) return services.timerModules.timers;
    if (bare === 'timers/promises' && services.timerModules) return services.timerModules.promises;
    if (isRecordedClientPackage(bare)) return recordedClientModule(bare, services);
    if (isAwsClientPackage(bare)) return refusedClientModule(bare, services);
    // `createRequire(import.meta.url)('@aws-sdk/client-dynamodb')` must not reach the real client either.
    if (bare === 'module') return Object.assign(Object.create(geosimRequire('node:module') as object) as object, { createRequire: scopedCreateRequire });
    return undefined;
  };
  const instanceRequire = (id: string): unknown => {
    if (!facades.has(id)) facades.set(id, facade(id));
    return facades.get(id);
  };
  const require = (id: string): unknown => instanceRequire(id) ?? external(id);
  function scopedCreateRequire(from: string | URL): NodeJS.Require {
    const real = createRequire(from);
    return Object.assign((id: string): unknown => instanceRequire(id) ?? real(id), real);
  }
  const env = lambdaEnvironment({ region: services.region, functionName, env: spec.env });
  const ownProcess = processView(env, services.output, services.onExit);
  const module = { exports: {} as Record<string, unknown> };
  try {
    const timers = services.timers ?? currentTimers();
    const own: Record<string, unknown> = { process: ownProcess, fetch: refusedFetch(services.onRefusal), console: services.console ?? globalThis.console };
    for (const name of TIMER_NAMES) own[name] = timers[name];
    const global = instanceGlobal(own);
    evaluate(module.exports, require, module, spec.path, dirname(spec.path), own.process, own.fetch, own.console, ...TIMER_NAMES.map((name) => own[name]), global, global);
  } catch (error) {
    const thrown = describeError(error, spec.path);
    throw new ModuleInitError(`${spec.path}: the application module threw while loading (module scope, region ${services.region}): ${thrown}`, thrown);
  }
  const exports = module.exports;
  const handler = exportedFunction(spec, exports, spec.handler, 'application.handler');
  if (spec.streamHandler === undefined) return { handler };
  return { handler, streamHandler: exportedFunction(spec, exports, spec.streamHandler, 'application.streamHandler') };
}

/**
 * The instance's global object: what the code stores on `globalThis` (or `global`) is its own, as
 * each region's function has its own Lambda sandbox (a `global.cachedDb` of one region is not
 * another's, nor a run's the next run's in explore); what it reads and did not store is the real
 * global's, but `process`, `fetch`, `console` and the timers are the instance's, as the free names
 * are. A proxy whose target holds what the instance stored (so definitions, read-only ones and
 * non-configurable ones included, behave as on a global of its own), reading the rest from the
 * real global with the real global as `this`: Node's getters there (`crypto`, `navigator`) refuse
 * any other. Not covered: `Function('return this')()` is the real global.
 */
function instanceGlobal(own: Record<string, unknown>): object {
  const real = globalThis as unknown as Record<PropertyKey, unknown>;
  const stored = Object.create(null) as Record<PropertyKey, unknown>;
  // the real global's non-configurable bindings (undefined, NaN, Infinity): a proxy may report only its target's
  for (const key of Reflect.ownKeys(real)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(real, key)!;
    if (descriptor.configurable === false) Object.defineProperty(stored, key, descriptor);
  }
  /** Names the instance deleted that the real global has: gone for the instance, as on its own global. */
  const hidden = new Set<PropertyKey>();
  const mine = (key: PropertyKey) => Object.hasOwn(stored, key);
  const global: object = new Proxy(stored, {
    get: (target, key) => (mine(key) ? Reflect.get(target, key, global) : hidden.has(key) ? undefined : Reflect.get(real, key, real)),
    set: (target, key, value) => {
      if (mine(key)) return Reflect.set(target, key, value);
      hidden.delete(key);
      return Reflect.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    },
    has: (_target, key) => mine(key) || (!hidden.has(key) && Reflect.has(real, key)),
    deleteProperty: (target, key) => {
      const deleted = !mine(key) || Reflect.deleteProperty(target, key);
      if (deleted && Reflect.has(real, key)) hidden.add(key);
      return deleted;
    },
    defineProperty: (target, key, descriptor) => {
      hidden.delete(key);
      return Reflect.defineProperty(target, key, descriptor);
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (mine(key)) return Reflect.getOwnPropertyDescriptor(target, key);
      const descriptor = hidden.has(key) ? undefined : Reflect.getOwnPropertyDescriptor(real, key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    ownKeys: (target) => [...new Set([...Reflect.ownKeys(target), ...Reflect.ownKeys(real).filter((key) => !hidden.has(key))])],
    // the global's own chain (Object.prototype's methods), not the store's null prototype
    getPrototypeOf: () => Reflect.getPrototypeOf(real),
  });
  for (const [name, value] of Object.entries(own)) Object.defineProperty(stored, name, { value, writable: true, configurable: true, enumerable: false });
  for (const name of ['globalThis', 'global']) Object.defineProperty(stored, name, { value: global, writable: true, configurable: true, enumerable: false });
  return global;
}

function describeError(error: unknown, modulePath: string): string {
  if (!(error instanceof Error)) return thrownValue(error);
  const at = thrownAt(error, modulePath);
  return `${error.name}: ${error.message}${at === undefined ? '' : ` (at ${at})`}`;
}

/** A thrown value that is not an Error, as a reader can use it: `{"code":42}`, not `[object Object]`. */
function thrownValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return `${json.length > 200 ? `${json.slice(0, 200)}…` : json} (thrown, not an Error)`;
  } catch {
    // a cycle, a BigInt: said as its kind
  }
  return `${Object.prototype.toString.call(value)} (thrown, not an Error)`;
}

function exportedFunction(spec: UserModuleSpec, exports: Record<string, unknown>, name: string, setting: string): LambdaHandler {
  const value = exports[name];
  if (typeof value === 'function') return asPromiseHandler(value as (...args: unknown[]) => unknown);
  const found = Object.keys(exports).filter((key) => key !== '__esModule');
  const has = found.length === 0 ? 'it exports nothing' : `its exports: ${found.join(', ')}`;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  const what = value === undefined ? `has no export "${name}"` : `exports "${name}" as ${kind}, not a function`;
  // an export of that name that is no function: a near name is suggested among the others only
  throw new UserError(`${spec.path}: the application module ${what} (${setting}); ${has}`, { setting: setting.split('.'), code: 'module-export', given: name, candidates: found.filter((key) => key !== name) });
}

/**
 * A Lambda handler as a promise: async handlers as they are, callback-style handlers
 * (`(event, context, callback)`, or `context.done/succeed/fail`) settled by their callback, and a
 * plain return value (or a synchronous throw) wrapped.
 */
export function asPromiseHandler(fn: (...args: unknown[]) => unknown): LambdaHandler {
  const callbackStyle = fn.length >= 3;
  return (event, context) =>
    new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown, result?: unknown): void => {
        if (settled) return;
        settled = true;
        if (error !== null && error !== undefined) reject(error);
        else resolve(result);
      };
      const invocationContext: LambdaContext = Object.assign({}, context, {
        done: settle,
        fail: (error: unknown) => settle(error ?? new Error('context.fail() was called')),
        succeed: (result: unknown) => settle(null, result),
      });
      let returned: unknown;
      try {
        returned = callbackStyle ? fn(event, invocationContext, settle) : fn(event, invocationContext);
      } catch (error) {
        settle(error);
        return;
      }
      if (isThenable(returned)) returned.then((result) => settle(null, result), (error: unknown) => settle(error ?? new Error('the handler rejected')));
      else if (!callbackStyle) settle(null, returned);
    });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
