/**
 * Virtual time on the wall clock: virtual ms = wall ms since the start × `timeScale` (so a scale of
 * 10 runs a scenario ten times faster than written). While a task runs, the clock is pinned to the
 * task's scheduled time, so its writes and trace events carry the scenario's own times, as in the
 * model; between tasks it follows the wall clock.
 */
export class WallClock {
  private readonly startWall: number;
  private pinned: number | undefined;
  private highWater = 0;

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0)) throw new RangeError('timeScale must be > 0');
    this.startWall = Date.now();
  }

  /** Virtual ms now. */
  now(): number {
    return this.pinned ?? Math.max(this.highWater, this.wallVirtual());
  }

  /** Virtual ms the wall clock has reached (ignores pinning). */
  wallVirtual(): number {
    return Math.round((Date.now() - this.startWall) * this.timeScale);
  }

  /** Wall ms from now until virtual time `t` (≤ 0 when due). */
  wallDelayUntil(t: number): number {
    return this.startWall + t / this.timeScale - Date.now();
  }

  pin(t: number): void {
    this.pinned = Math.max(t, this.highWater);
    this.highWater = this.pinned;
  }

  unpin(): void {
    this.pinned = undefined;
  }
}
