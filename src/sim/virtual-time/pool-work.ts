import { promisify } from 'node:util';

/**
 * Work a handler hands to Node's thread pool and the run waits for: async crypto (Web Crypto's
 * `crypto.subtle`, node:crypto's `pbkdf2`, `scrypt`, `hkdf`, key and prime generation, one-shot
 * `sign`/`verify` with a callback) and zlib's one-call methods (`gzip`, `deflate`, `brotliCompress`…).
 *
 * libuv runs this work with no request object `process.getActiveResourcesInfo()` lists, so the
 * run's quiet check (Fibers) saw nothing pending and moved the run's time on while the pool
 * computed: the handler's next write landed at whatever virtual time the pool happened to finish
 * by, and two runs of one scenario and seed differed (an HMAC with `crypto.subtle.sign`, a
 * `gzip`, a `pbkdf2`). Counted here while in flight, such work takes no time in the run, as a
 * `createHash` does, and a run's bytes are its own again.
 *
 * Not counted: zlib's streams (`createGzip()` and a pipeline), whose writes run on the pool from
 * inside the stream; a handler uses their one-call or `Sync` form.
 */
let inFlight = 0;

/** Whether counted pool work is still running: the run's time must not move on yet. */
export function poolWorkInFlight(): boolean {
  return inFlight > 0;
}

/** One wrapper per real function, whichever installation patched it: a function a module promisified in one run counts in the next. */
const wrappers = new WeakMap<Function, Function>();

/**
 * `fn`, counted from its call until its callback (the last argument, when it is a function) is
 * called. Called without a callback (`crypto.sign` at once), or refused at once by Node (a thrown
 * argument error), it counts nothing. Its `util.promisify` form is counted too.
 */
export function countedCallback<F extends Function>(fn: F): F {
  return wrapped(fn, (self, args) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback !== 'function') return Reflect.apply(fn, self, args);
    const settle = once();
    args[last] = function (this: unknown, ...results: unknown[]) {
      settle();
      return Reflect.apply(callback, this, results);
    };
    inFlight++;
    try {
      return Reflect.apply(fn, self, args);
    } catch (error) {
      settle();
      throw error;
    }
  });
}

/** `fn`, an async function, counted from its call until the promise it returned settles (the very promise, not a copy). */
export function countedPromise<F extends Function>(fn: F): F {
  return wrapped(fn, (self, args) => {
    const result: unknown = Reflect.apply(fn, self, args);
    if (!(result instanceof Promise)) return result;
    inFlight++;
    const settle = once();
    result.then(settle, settle);
    return result;
  });
}

function wrapped<F extends Function>(fn: F, call: (self: unknown, args: unknown[]) => unknown): F {
  const known = wrappers.get(fn);
  if (known !== undefined) return known as F;
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return call(this, args);
  };
  // Node's name and arity, so a library that reads them (or prints the function) sees the real one.
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  Object.defineProperty(wrapper, 'length', { value: fn.length });
  // Node's own marks too: generateKeyPair's promisified form resolves with { publicKey, privateKey }
  // because of a symbol it carries (customPromisifyArgs); a custom promisified form is counted.
  for (const symbol of Object.getOwnPropertySymbols(fn)) {
    const descriptor = Object.getOwnPropertyDescriptor(fn, symbol)!;
    if (symbol === promisify.custom && typeof descriptor.value === 'function') descriptor.value = countedPromise(descriptor.value as Function);
    Object.defineProperty(wrapper, symbol, descriptor);
  }
  wrappers.set(fn, wrapper);
  return wrapper as unknown as F;
}

/** A decrement of the count that happens once, whichever way the work ends first. */
function once(): () => void {
  let pending = true;
  return () => {
    if (!pending) return;
    pending = false;
    inFlight--;
  };
}

/** node:crypto's functions that run on the pool when given a callback. */
export const POOL_CRYPTO_CALLBACKS = ['pbkdf2', 'scrypt', 'hkdf', 'generateKeyPair', 'generateKey', 'generatePrime', 'checkPrime', 'sign', 'verify'] as const;
/** SubtleCrypto's methods (digest is answered at once instead, see immediateDigest). */
export const POOL_SUBTLE_METHODS = ['encrypt', 'decrypt', 'sign', 'verify', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey'] as const;
/** zlib's one-call methods (the zstd ones exist from Node 22.15). */
export const POOL_ZLIB_CALLBACKS = ['deflate', 'deflateRaw', 'gzip', 'gunzip', 'inflate', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress', 'zstdCompress', 'zstdDecompress'] as const;
