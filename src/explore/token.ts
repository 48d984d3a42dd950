import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';

/** What a replay token names: one run of one search. */
export interface ReplayToken {
  /** The scenario file, relative to the working directory explore ran in ('/'-separated). */
  file: string;
  /** The search's --seed. */
  seed: number;
  /** The run's index in the search (0-based). */
  index: number;
  /** The first 8 hex digits of the scenario file's sha256, to warn when the file changed since. */
  hash: string;
  /**
   * Which of the run's failures it names (sha8 of its signature), when the run failed more than one
   * assertion (`--keep-going` prints one token per failure); absent: its first.
   */
  failure?: string;
}

const PREFIX = 'gx1.';

/** The first 8 hex digits of sha256 of `data`: scenario file hashes and repro file names. */
export function sha8(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 8);
}

/** `gx1.<base64url JSON>`: short, one shell word, no quoting needed. */
export function encodeToken(token: ReplayToken): string {
  const json = JSON.stringify({ f: token.file, s: token.seed, i: token.index, h: token.hash, ...(token.failure !== undefined ? { a: token.failure } : {}) });
  return PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

/** Reads a token back; a token that is not one geosim wrote is bad input (exit 2). */
export function decodeToken(text: string): ReplayToken {
  const bad = (why: string) => new UserError(`geosim: --replay ${text.length > 80 ? `${text.slice(0, 77)}...` : text}: not a replay token (${why}); copy the "replay: gx1...." word that geosim explore printed`);
  if (!text.startsWith(PREFIX)) throw bad(`it does not start with ${PREFIX}`);
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw bad('it does not decode');
  }
  const { f, s, i, h, a } = (data ?? {}) as Record<string, unknown>;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  const hex8 = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{8}$/.test(x);
  if (typeof f !== 'string' || f === '' || !whole(s) || !whole(i) || !hex8(h) || (a !== undefined && !hex8(a))) throw bad('a field is missing or wrong');
  return { file: f, seed: s, index: i, hash: h, ...(a !== undefined ? { failure: a } : {}) };
}
