/**
 * The units of virtual time, the same in a scenario file (`at: 2d`), on the command line
 * (`--horizon 90d`) and in what the views print (`2d03h`).
 */
export const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type TimeUnit = keyof typeof UNIT_MS;

/** The unit alternatives for a regular expression, `ms` before `m`. */
export const TIME_UNITS = 'ms|s|m|h|d';

/**
 * A time in the views' own notation, several units largest first, each once: `1m04s`, `10m00.5s`,
 * `2d03h`, `1d00h00m03s` (a fraction on the seconds only). What a timeline prints can be pasted
 * into a scenario or a flag as it is.
 */
export const COMPOUND_SOURCE = '(?=\\d)(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s)?';
/** COMPOUND_SOURCE anchored: the whole text is one such time. (The source, unanchored, sits in the scenario schema's durations.) */
const COMPOUND = new RegExp(`^${COMPOUND_SOURCE}$`);

/** Milliseconds of a time in the views' compound notation (see COMPOUND), or undefined when `text` is not one. */
export function compoundMs(text: string): number | undefined {
  const m = COMPOUND.exec(text);
  if (m === null) return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return Math.round((Number(d) * UNIT_MS.d + Number(h) * UNIT_MS.h + Number(min) * UNIT_MS.m + Number(s) * UNIT_MS.s) * 1000) / 1000;
}
