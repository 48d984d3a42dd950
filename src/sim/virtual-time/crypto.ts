/**
 * node:crypto's and Web Crypto's random bytes from the run's seeded stream: the ids a handler
 * makes with nanoid, ulid or uuid (getRandomValues, randomFillSync, randomBytes, randomInt) repeat
 * for a seed like its Math.random does.
 *
 * Each replacement first calls the real function, so arguments Node refuses are refused with
 * Node's own error and the result has Node's shape (a Buffer of the size asked, the array given);
 * then the bytes it filled are overwritten with the stream's.
 */
import { fillSeeded } from './random.js';

/** The real functions, taken before patching. */
export interface RealCrypto {
  randomBytes(size: number, callback?: unknown): Buffer;
  randomFillSync(buffer: ArrayBufferView | ArrayBuffer, offset?: number, size?: number): unknown;
  randomFill(...args: unknown[]): void;
  randomInt(...args: unknown[]): number;
  /** Crypto.prototype.getRandomValues: checks that it is called on the Crypto instance. */
  getRandomValues(this: unknown, array: ArrayBufferView): unknown;
}

type Callback = (error: Error | null, value: unknown) => void;

/**
 * The replacements. `later` calls an async API's callback: Node calls it from its thread pool, so
 * never before the caller's own code has run on.
 */
export function seededCrypto(real: RealCrypto, random: () => number, later: (callback: () => void) => void) {
  const randomFillSync = <T>(buffer: T, offset?: number, size?: number): T => {
    real.randomFillSync(buffer as ArrayBufferView | ArrayBuffer, offset, size);
    const bytes = bytesOf(buffer as ArrayBufferView | ArrayBuffer);
    // As Node reads them: offset and size count elements of a typed array, then whole bytes.
    const element = (buffer as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    const from = ((offset ?? 0) * element) >>> 0;
    const to = size === undefined ? bytes.length : from + ((size * element) >>> 0);
    fillSeeded(bytes.subarray(from, to), random);
    return buffer;
  };

  const randomFill = (buffer: unknown, offset?: unknown, size?: unknown, callback?: unknown): void => {
    if (typeof offset === 'function') return randomFill(buffer, undefined, undefined, offset);
    if (typeof size === 'function') return randomFill(buffer, offset, undefined, size);
    // Not a function: Node's own error.
    if (typeof callback !== 'function') return real.randomFill(buffer, offset, size, callback);
    randomFillSync(buffer, offset as number | undefined, size as number | undefined);
    later(() => (callback as Callback)(null, buffer));
  };

  const randomBytes = (size: number, callback?: unknown): Buffer | undefined => {
    if (callback !== undefined && typeof callback !== 'function') return real.randomBytes(size, callback);
    const bytes = real.randomBytes(size);
    fillSeeded(bytes, random);
    if (callback === undefined) return bytes;
    later(() => (callback as Callback)(null, bytes));
    return undefined;
  };

  const randomInt = (...args: unknown[]): number | undefined => {
    // randomInt(max) and randomInt(max, callback): min is 0.
    const minGiven = args[1] !== undefined && typeof args[1] !== 'function';
    const bounds = args.slice(0, minGiven ? 2 : 1);
    const callback = args[bounds.length];
    if (callback !== undefined && typeof callback !== 'function') return real.randomInt(...args);
    // Node's checks (safe integers, min < max, a range below 2^48), with its messages for the arguments given.
    real.randomInt(...bounds);
    const [min, max] = (minGiven ? bounds : [0, bounds[0]]) as [number, number];
    const value = min + below(max - min, random);
    if (callback === undefined) return value;
    later(() => (callback as Callback)(null, value));
    return undefined;
  };

  // A method, not an arrow: the real one refuses to be called on anything but the Crypto instance.
  function getRandomValues<T>(this: unknown, array: T): T {
    real.getRandomValues.call(this, array as ArrayBufferView);
    fillSeeded(bytesOf(array as ArrayBufferView), random);
    return array;
  }

  return { randomFillSync, randomFill, randomBytes, randomInt, getRandomValues };
}

function bytesOf(buffer: ArrayBufferView | ArrayBuffer): Uint8Array {
  return ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
}

/** Node's randomInt's limit: a range is drawn from 48 random bits. */
const RAND_MAX = 0xffff_ffff_ffff;

/** Uniform in [0, range), as Node draws it: 48 bits, redrawn above the largest multiple of range. */
function below(range: number, random: () => number): number {
  const limit = RAND_MAX - (RAND_MAX % range);
  const bytes = new Uint8Array(6);
  for (;;) {
    fillSeeded(bytes, random);
    const x = bytes.reduce((n, byte) => n * 256 + byte, 0);
    if (x < limit) return x % range;
  }
}

/** Web Crypto's digest names and node:crypto's. */
const DIGESTS: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/**
 * `crypto.subtle.digest` computed at once: Node runs it on its thread pool with no request object
 * the run's quiet check can see, so a handler awaiting it waited until its Lambda timeout in the
 * run's time. The same bytes, from node:crypto's hash; other algorithms go to the real one.
 */
type Digest = (algorithm: string | { name: string }, data: ArrayBuffer | ArrayBufferView) => Promise<ArrayBuffer>;

export function immediateDigest(real: Digest, subtle: object, createHash: (algorithm: string) => { update(data: Uint8Array): { digest(): Buffer } }): Digest {
  return async function digest(algorithm, data) {
    const name = typeof algorithm === 'string' ? algorithm : algorithm?.name;
    const hash = typeof name === 'string' ? DIGESTS[name.toUpperCase()] : undefined;
    if (hash === undefined || !(ArrayBuffer.isView(data) || data instanceof ArrayBuffer)) return real.call(subtle, algorithm, data);
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    const out = createHash(hash).update(bytes).digest();
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  };
}
