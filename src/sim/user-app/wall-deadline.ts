/**
 * A team's function timeout on the wall clock (a real backend), counting only the handler's own
 * time: while geosim serves one of its requests (the request to DynamoDB plus the reads geosim adds
 * around every write to trace and replicate it) the clock is paused, so geosim's bookkeeping never
 * times a handler out. Pauses nest (requests in parallel).
 */
export class WallDeadline {
  private readonly started = Date.now();
  private pausedFor = 0;
  private pauses = 0;
  private pausedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly limitMs: number,
    private readonly fire: () => void,
  ) {
    this.arm(limitMs);
  }

  pause(): void {
    if (this.done || this.pauses++ > 0) return;
    this.pausedAt = Date.now();
    clearTimeout(this.timer);
  }

  resume(): void {
    if (this.done || this.pauses === 0 || --this.pauses > 0) return;
    this.pausedFor += Date.now() - this.pausedAt;
    this.check();
  }

  cancel(): void {
    this.done = true;
    clearTimeout(this.timer);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(0, ms));
    // Never the reason the process stays alive.
    this.timer.unref();
  }

  private check(): void {
    if (this.done || this.pauses > 0) return;
    const used = Date.now() - this.started - this.pausedFor;
    if (used < this.limitMs) return this.arm(this.limitMs - used);
    this.done = true;
    this.fire();
  }
}
