import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../../src/scenario/json-schema.js';
import { geosim } from '../../helpers/cli.js';

describe('geosim schema', () => {
  it('prints the JSON Schema that names the scenario keys, and exits 0', async () => {
    const r = await geosim(['schema']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['regions', 'replication', 'application', 'steps', 'expect']));
    expect(schema.required).toEqual(['regions']);
    expect(r.stdout).toBe(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
  });

  it('takes no arguments (exit 2)', async () => {
    const r = await geosim(['schema', 'extra']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
