import type { z } from 'zod';

/**
 * zod leaves a `__proto__` key out of what it parses (records, loose objects), so an item
 * `Id: "__proto__"` or a `__proto__` attribute in `data` would vanish without a word. yaml keeps
 * the key as an own property; these functions carry it through validation under another name.
 *
 * The renaming is a bijection: `__proto__` becomes NUL + `__proto__`, and any key that already
 * starts with NUL gets one more, so no key of the file can collide with a shielded one.
 */
const MARK = '\u0000';

export function shieldKey(key: string): string {
  return key === '__proto__' || key.startsWith(MARK) ? MARK + key : key;
}

export function unshieldKey(key: string): string {
  return key.startsWith(MARK) ? key.slice(1) : key;
}

/**
 * A copy of parsed YAML data in which every mapping key went through `shieldKey`; the value itself
 * when no key needs it (the common case: copying 1 MB of data took a tenth of its load time).
 */
export function shieldProtoKeys(value: unknown): unknown {
  return hasKeyToShield(value, new Set()) ? mapKeys(value, shieldKey) : value;
}

/** Whether any mapping key in `value` is renamed by `shieldKey`; `seen` skips values aliased twice. */
function hasKeyToShield(value: unknown, seen: Set<object>): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  // Depth is bounded by MAX_NESTING before this runs, so recursion is safe.
  if (Array.isArray(value)) return value.some((v) => hasKeyToShield(v, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) if (shieldKey(key) !== key || hasKeyToShield((value as Record<string, unknown>)[key], seen)) return true;
  return false;
}

/** Undoes `shieldProtoKeys`; `__proto__` comes back as an own key (never the prototype). */
export function unshieldProtoKeys<T>(value: T): T {
  return mapKeys(value, unshieldKey) as T;
}

/** A zod issue with the document's own key names in its path and key lists. */
export function unshieldIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const path = issue.path.map((p) => (typeof p === 'string' ? unshieldKey(p) : p));
  if (issue.code === 'unrecognized_keys') return { ...issue, path, keys: issue.keys.map(unshieldKey) };
  if (issue.code === 'invalid_union') return { ...issue, path, errors: issue.errors.map((branch) => branch.map(unshieldIssue)) } as z.core.$ZodIssue;
  return { ...issue, path };
}

function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  // Object.fromEntries defines own properties: a `__proto__` entry stays a key.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), mapKeys(v, rename)]));
}
