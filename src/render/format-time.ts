import { limitFlag, type RunStop } from '../trace/report.js';
/**
 * Virtual time as every view writes it (plain text, terminal view, stepper, Mermaid labels):
 *
 * - under a second in milliseconds: `0ms`, `250ms`, `12.5ms`
 * - under a minute in seconds, to the millisecond, trailing zeros dropped: `1s`, `1.5s`, `12.345s`
 * - under an hour in minutes and two-digit seconds: `8m22.345s`, `1m05s`, `2m` (zero seconds dropped)
 * - under a day in hours: `1h02m03s`, `1h02m`, `3h`
 * - from a day on in days: `2d03h04m05.5s`, `7d`
 *
 * A negative time (a clock skew) takes a minus sign in front. A time too large to be a day count
 * that reads well, or not finite, stays in raw milliseconds.
 *
 * @example
 * formatTime(502345) // '8m22.345s'
 */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) >= MAX_SPELLED) return `${ms}ms`;
  if (ms < 0) return `-${formatTime(-ms)}`;
  // to the microsecond, as a scenario's durations keep it: a step at 2.25 ms shows as 2.25ms (2.3ms
  // beside its check's label "check at 2.25ms" was one step at two times)
  if (ms < SECOND) return `${Number.isInteger(ms) ? ms : Number(ms.toFixed(3))}ms`;
  // From a second on the precision is the millisecond.
  const whole = Math.round(ms);
  if (whole < MINUTE) return `${seconds(whole)}s`;
  const days = Math.floor(whole / DAY);
  const hours = Math.floor((whole % DAY) / HOUR);
  const minutes = Math.floor((whole % HOUR) / MINUTE);
  const rest = whole % MINUTE;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}d`);
  if (days > 0 || hours > 0) parts.push(`${days > 0 ? pad(hours) : hours}h`);
  parts.push(`${parts.length > 0 ? pad(minutes) : minutes}m`);
  if (rest > 0) parts.push(`${rest < 10 * SECOND ? '0' : ''}${seconds(rest)}s`);
  // Whole hours or days read better without their empty minutes: `3h`, `7d`, `2d05h`.
  while (parts.length > 1 && /^0+m$/.test(parts[parts.length - 1]!)) parts.pop();
  while (parts.length > 1 && parts[parts.length - 1] === '00h') parts.pop();
  return parts.join('');
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** About 27,000 years: past this a day count is no longer a useful reading. */
const MAX_SPELLED = 1e7 * DAY;

/** Whole milliseconds as seconds with the fraction's trailing zeros dropped: 1500 → '1.5'. */
function seconds(ms: number): string {
  const s = Math.floor(ms / SECOND);
  const frac = ms % SECOND;
  return frac === 0 ? String(s) : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * When the final items were taken, as the views say it: after replication drained, or where a run
 * stopped at a limit (its replicas never settled, so "drained" would claim what did not happen).
 */
export function finalItemsWhen(report: { endedAt: number; stopped?: Pick<RunStop, 'limit'> | undefined }): string {
  if (report.stopped === undefined) return `after replication drained at ${formatTime(report.endedAt)}`;
  return `when the run stopped at ${formatTime(report.endedAt)}, at ${limitFlag(report.stopped)}, replication not drained`;
}
