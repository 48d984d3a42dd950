/**
 * The network as a handler module sees it: refused. `fetch` and every function of Node's network
 * modules throw a GeosimRefusal naming the call and its address, so a handler that calls a real
 * URL fails that invocation with a clear message instead of reaching out or hanging.
 */
import { refuse } from './refusal.js';

/** Modules whose functions open connections (Node built-ins, and undici, which the bundle keeps external). */
export const NETWORK_MODULES: ReadonlySet<string> = new Set(['http', 'https', 'http2', 'net', 'tls', 'dgram', 'undici']);

function refusalMessage(call: string, target: string): string {
  return `geosim does not allow network access from a handler: ${call}(${target}) was refused`;
}

/** A short, readable address from the first argument of a network call. */
export function describeTarget(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof URL) return arg.href;
  if (typeof arg === 'number') return String(arg);
  if (arg !== null && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    if (typeof o.url === 'string') return o.url; // a fetch Request
    const host = o.hostname ?? o.host ?? o.path;
    if (host !== undefined) {
      const protocol = typeof o.protocol === 'string' ? `${o.protocol}//` : '';
      const port = o.port !== undefined ? `:${String(o.port)}` : '';
      const path = typeof o.path === 'string' && o.path !== host ? o.path : '';
      return `${protocol}${String(host)}${port}${path}`;
    }
    if (typeof o.type === 'string') return o.type; // dgram.createSocket({ type })
  }
  return '';
}

/** The `fetch` a handler module sees. */
export function refusedFetch(onRefusal: (message: string) => void): typeof fetch {
  return ((input: unknown) => Promise.reject(refuse(onRefusal, refusalMessage('fetch', describeTarget(input))))) as typeof fetch;
}

/**
 * A network module whose functions throw when called. Non-function values (constants,
 * `STATUS_CODES`, `globalAgent`) stay readable, so a library that only looks at them at load
 * time still loads.
 */
export function refusedNetworkModule(name: string, real: object | undefined, onRefusal: (message: string) => void): object {
  const refused = new Map<PropertyKey, unknown>();
  // A package that is not installed (undici): every named export is a refused call.
  const anyName = real === undefined;
  return new Proxy(real ?? {}, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || (typeof value !== 'function' && !(anyName && value === undefined && property !== 'then' && property !== '__esModule'))) return value;
      let stand = refused.get(property);
      if (stand === undefined) {
        const call = `${name}.${property}`;
        // A function, not an arrow: `class X extends https.Agent` must still load.
        stand = function refusedNetworkCall(arg?: unknown): never {
          throw refuse(onRefusal, refusalMessage(call, describeTarget(arg)));
        };
        refused.set(property, stand);
      }
      return stand;
    },
  });
}
