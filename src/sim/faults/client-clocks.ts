/**
 * Each region's client clock offset from virtual time, in ms. Starts from the scenario's `clocks`
 * and changes when a clock-skew fault says so; the application's `Timestamp` attribute follows it.
 */
export class ClientClocks {
  private readonly skews = new Map<string, number>();

  constructor(initial: Readonly<Record<string, number>>) {
    for (const [region, skew] of Object.entries(initial)) this.skews.set(region, skew);
  }

  skew(region: string): number {
    return this.skews.get(region) ?? 0;
  }

  set(region: string, skew: number): void {
    this.skews.set(region, skew);
  }
}
