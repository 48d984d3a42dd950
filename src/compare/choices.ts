import { z } from 'zod';
import { UserError } from '../errors.js';
import { suggest } from '../scenario/near-miss.js';
import { scenarioSchema } from '../scenario/schema.js';

/**
 * The values a scenario's `mode` and `application.strategy` accept, read from the scenario schema
 * itself (never a copy): a strategy or mode another part adds to the schema is comparable at once.
 * Aliases (`service-lww`) are listed as the schema lists them.
 */
export function modeChoices(): string[] {
  return acceptedValues(scenarioSchema.shape.mode);
}

/** See modeChoices. */
export function strategyChoices(): string[] {
  return acceptedValues(scenarioSchema.shape.application.unwrap().shape.strategy);
}

/** A string schema's accepted values, through its JSON Schema form: `enum`, or `const` for a literal. */
function acceptedValues(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { enum?: unknown[]; const?: unknown };
  const values = json.enum ?? (json.const !== undefined ? [json.const] : []);
  return values.filter((v): v is string => typeof v === 'string');
}

/**
 * Parses a comma-separated flag value (`--strategies a,b,c`) against the accepted values: an
 * unknown name is bad input naming every valid one. A name listed twice runs once; the order given
 * is the order of the table's columns.
 */
export function parseChoiceList(value: string, flag: string, accepted: readonly string[], what: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UserError(`geosim: ${flag} needs at least one ${what}, e.g. ${flag} ${accepted.slice(0, 2).join(',')}; valid: ${accepted.join(', ')}`);
  const unknown = names.filter((n) => !accepted.includes(n));
  if (unknown.length > 0) {
    const list = unknown.map((n) => JSON.stringify(n)).join(', ');
    const near = unknown.length === 1 ? suggest(unknown[0]!, accepted) : '';
    throw new UserError(`geosim: ${flag}: unknown ${unknown.length === 1 ? what : what.replace(/y$/, 'ie') + 's'} ${list}${near}; valid: ${accepted.join(', ')}`);
  }
  return [...new Set(names)];
}
