/**
 * The units of virtual time, the same in a scenario file (`at: 2d`), on the command line
 * (`--horizon 90d`) and in what the views print (`2d03h`).
 */
export const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type TimeUnit = keyof typeof UNIT_MS;

/** The unit alternatives for a regular expression, `ms` before `m`. */
export const TIME_UNITS = 'ms|s|m|h|d';
