import { DEFAULT_TABLE_NAME } from './schema.js';

/**
 * The scenario's table is `GlobalEventTable` to the code that calls it; on DynamoDB each region's
 * table has the run's own name (emulated replication makes one per region and run). A request names
 * the scenario's table (or none, as scenario steps may) and is sent to the real one; the answer
 * names the scenario's table again wherever DynamoDB echoed the real name, so a handler sees the
 * same answer on every backend. Other table names pass through unchanged.
 */
export class TableNames {
  constructor(private readonly real: string) {}

  /** The table a request's `TableName` (or a RequestItems key) is sent to. */
  toReal(name: unknown): unknown {
    return name === DEFAULT_TABLE_NAME || name === undefined ? this.real : name;
  }

  /** A map keyed by table name (RequestItems), re-keyed toward the real table. */
  keysToReal<T>(byTable: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(byTable).map(([name, v]) => [this.toReal(name) as string, v]));
  }

  /**
   * An answer with the real name put back: map keys (Responses, UnprocessedItems…), `TableName`
   * values and ARNs (`…:table/<real>`, `…:table/<real>/index/…`, `…/stream/…`). Items are walked too;
   * the real name is the run's own random one, so no item value can be mistaken for it.
   */
  toScenario(value: unknown): unknown {
    if (this.real === DEFAULT_TABLE_NAME) return value;
    return this.rename(value);
  }

  private rename(value: unknown): unknown {
    if (typeof value === 'string') {
      if (value === this.real) return DEFAULT_TABLE_NAME;
      const arn = `:table/${this.real}`;
      const at = value.indexOf(arn);
      if (at >= 0 && (value.length === at + arn.length || value[at + arn.length] === '/')) {
        return `${value.slice(0, at)}:table/${DEFAULT_TABLE_NAME}${value.slice(at + arn.length)}`;
      }
      return value;
    }
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((v) => this.rename(v));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k === this.real ? DEFAULT_TABLE_NAME : k] = this.rename(v);
    return out;
  }
}
