import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** The scenario format as JSON Schema (draft 2020-12), generated from the zod schema the loader uses. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: 'https://geosim.dev/scenario.schema.json', title: 'geosim scenario', ...schema };
}
