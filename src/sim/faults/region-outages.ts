/** Work that waits for a region to come back. */
export type DeferredTask = () => void | Promise<void>;

/**
 * Which regions are down (outages may overlap), and the work that waits for each to return: its
 * stream consumers and Lambdas are down with it. Shared by the model's World and the DynamoDB
 * backend so both treat an outage the same way.
 */
export class RegionOutages {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, DeferredTask[]>();

  /** `resume` runs a deferred task once its region is back (the caller schedules it at "now"). */
  constructor(private readonly resume: (task: DeferredTask) => void) {}

  setDown(region: string, down: boolean): void {
    const left = (this.active.get(region) ?? 0) + (down ? 1 : -1);
    if (left > 0) {
      this.active.set(region, left);
      return;
    }
    this.active.delete(region);
    const waiting = this.waiting.get(region) ?? [];
    this.waiting.delete(region);
    for (const task of waiting) this.resume(task);
  }

  isDown(region: string): boolean {
    return this.active.has(region);
  }

  /** Runs `task` now if the region is up, else when its outage ends. */
  whenUp(region: string, task: DeferredTask): void | Promise<void> {
    if (!this.isDown(region)) return task();
    let waiting = this.waiting.get(region);
    if (!waiting) this.waiting.set(region, (waiting = []));
    waiting.push(task);
  }
}
