import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as geosim from '../src/index.js';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; types: string; bin: Record<string, string> };

it("exports the wire layer from the package entry (import … from 'geosim')", () => {
  expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  expect(pkg.types).toBe('./dist/index.d.ts');
  expect(pkg.bin).toEqual({ geosim: 'bin/geosim' });
  expect(typeof geosim.createInProcessRequestHandler).toBe('function');
  expect(typeof geosim.startDynamoDBHttpServer).toBe('function');
  expect(typeof geosim.ModelEndpoint).toBe('function');
  expect(typeof geosim.GlobalTables).toBe('function');
  expect(typeof geosim.fromPlainItem).toBe('function');
  expect(new geosim.DynamoDBError('ResourceNotFoundException', 'm')).toBeInstanceOf(Error);
  // The entry is built with declarations, so TypeScript users get the types.
  expect(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).toMatch(/"declaration": true/);
});
