import { DEFAULT_TABLE_NAME, scenarioTableDefinition, TTL_ATTRIBUTE } from '../backends/dynamodb/schema.js';
import type { TableSpec } from '../scenario/model.js';
import type { Item as WireItem } from '../dynamodb/values.js';

/** GlobalEventTable as infra/template.yaml declares it: the tables of a scenario that declares none. */
export const DEFAULT_TABLES: readonly TableSpec[] = [{ name: DEFAULT_TABLE_NAME, definition: scenarioTableDefinition(DEFAULT_TABLE_NAME), keyNames: ['Id'], ttlAttribute: TTL_ATTRIBUTE }];

/** The tables every region holds: the scenario's own (`tables:`), or GlobalEventTable. */
export function scenarioTables(scenario: { tables?: TableSpec[] | undefined }): readonly TableSpec[] {
  return scenario.tables !== undefined && scenario.tables.length > 0 ? scenario.tables : DEFAULT_TABLES;
}

/** "The scenario's table": the first declared one (report.final, expect.items, expression steps' default). */
export function primaryTable(scenario: { tables?: TableSpec[] | undefined }): TableSpec {
  return scenarioTables(scenario)[0]!;
}

/**
 * How the report and the trace name an item: its partition key value, then `|` and its sort key
 * value when the table has one. Numbers read as DynamoDB prints them, binary as base64, so the
 * string is the same on every backend. GlobalEventTable's items are named by their `Id`, as before.
 */
export function keyString(keyNames: readonly string[], key: WireItem): string {
  return keyNames.map((n) => keyText(key[n])).join('|');
}

export function keyText(value: WireItem[string] | undefined): string {
  if (value === undefined) return '';
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  return JSON.stringify(value);
}
