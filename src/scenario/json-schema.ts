import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/**
 * The scenario format as JSON Schema (draft 2020-12), generated from the zod schema the loader uses.
 * `steps` is not required there: a file for `geosim serve` may leave it out (the loader's
 * stepsOptional), and an editor must not flag it; run, explore and the others still refuse a file
 * without steps, at its line.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { required?: string[]; properties?: Record<string, Record<string, unknown>> };
  if (Array.isArray(schema.required)) schema.required = schema.required.filter((name) => name !== 'steps');
  const steps = schema.properties?.steps;
  if (steps !== undefined) steps.description = 'Timed steps (at least one; a file for geosim serve alone may leave steps out).';
  return { $id: 'https://geosim.dev/scenario.schema.json', title: 'geosim scenario', ...schema };
}
