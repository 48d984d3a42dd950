import { scenarioName, type TableKeys } from './item-keys.js';

/**
 * The scenario's tables are `GlobalEventTable` (or those it declares under `tables:`, e.g.
 * `Orders`) to the code that calls them; on DynamoDB each region's tables have the run's own names
 * (emulated replication makes them per region and run). A request names a scenario table (or none,
 * as scenario steps may: the first) and is sent to the real one; the answer names the scenario's
 * table again wherever DynamoDB echoed the real name, so a handler sees the same answer on every
 * backend. Other table names pass through unchanged.
 */
export class TableNames {
  /** Scenario name → real name, the scenario's table (the first) first. */
  private readonly real = new Map<string, string>();
  /** Real name → scenario name. */
  private readonly scenario = new Map<string, string>();

  /** `real`: the run's name of GlobalEventTable, or the region's tables (scenario name and real name). */
  constructor(real: string | readonly TableKeys[]) {
    const tables: readonly TableKeys[] = typeof real === 'string' ? [{ tableName: real }] : real;
    for (const t of tables) {
      this.real.set(scenarioName(t), t.tableName);
      this.scenario.set(t.tableName, scenarioName(t));
    }
  }

  /** The table a request's `TableName` (or a RequestItems key) is sent to. */
  toReal(name: unknown): unknown {
    if (name === undefined) return this.real.values().next().value;
    return typeof name === 'string' ? (this.real.get(name) ?? name) : name;
  }

  /** A map keyed by table name (RequestItems), re-keyed toward the real tables. */
  keysToReal<T>(byTable: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(byTable).map(([name, v]) => [this.toReal(name) as string, v]));
  }

  /**
   * An answer with the scenario's names put back: map keys (Responses, UnprocessedItems…),
   * `TableName` values and ARNs (`…:table/<real>`, `…:table/<real>/index/…`, `…/stream/…`). Items
   * are walked too; the real names are the run's own random ones, so no item value can be mistaken
   * for them.
   */
  toScenario(value: unknown): unknown {
    if ([...this.scenario].every(([real, name]) => real === name)) return value;
    return this.rename(value);
  }

  private rename(value: unknown): unknown {
    if (typeof value === 'string') return this.scenario.get(value) ?? this.renameArn(value);
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((v) => this.rename(v));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[this.scenario.get(k) ?? k] = this.rename(v);
    return out;
  }

  private renameArn(value: string): string {
    for (const [real, name] of this.scenario) {
      const arn = `:table/${real}`;
      const at = value.indexOf(arn);
      if (at >= 0 && (value.length === at + arn.length || value[at + arn.length] === '/')) {
        return `${value.slice(0, at)}:table/${name}${value.slice(at + arn.length)}`;
      }
    }
    return value;
  }
}
