/**
 * Each region's client clock offset from virtual time, in ms. Starts from the scenario's
 * `clockSkew` and follows its clock-skew faults; the application's `Timestamp` attribute follows it.
 *
 * Faults on one region may overlap (a scenario's, or two windows explore drew): the one that
 * started last holds while it lasts, and when it ends the skew is that of the latest one still
 * running, or the scenario's own once none is. (Each fault putting back the skew it found made
 * the skew of overlapping windows outlive them both.)
 */
export class ClientClocks {
  private readonly base = new Map<string, number>();
  /** Per region, the clock-skew faults running, in the order they started. */
  private readonly running = new Map<string, Array<{ readonly skew: number }>>();

  constructor(initial: Readonly<Record<string, number>>) {
    for (const [region, skew] of Object.entries(initial)) this.base.set(region, skew);
  }

  skew(region: string): number {
    const running = this.running.get(region);
    if (running !== undefined && running.length > 0) return running[running.length - 1]!.skew;
    return this.base.get(region) ?? 0;
  }

  /**
   * A clock-skew fault starts on `region`: its skew holds from now. Returns what ends it, which
   * says whether the fault was the one holding (else a later one still runs: the skew stays).
   */
  start(region: string, skew: number): () => boolean {
    const fault = { skew };
    let running = this.running.get(region);
    if (running === undefined) this.running.set(region, (running = []));
    running.push(fault);
    return () => {
      const at = running.indexOf(fault);
      if (at < 0) return false;
      running.splice(at, 1);
      return at === running.length;
    };
  }
}
