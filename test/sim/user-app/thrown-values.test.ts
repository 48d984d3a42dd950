import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/index.js';

// A handler may throw any value, not only an Error. The failure names the value thrown, as the
// views show it: a value JSON cannot hold (a cycle, a BigInt) must not turn into the TypeError
// that describing it as JSON would raise.
describe('a handler that throws a value that is not an Error', () => {
  async function failureOf(body: string): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-thrown-'));
    writeFileSync(join(dir, 'app.mjs'), body);
    const report = await run(
      { name: 'thrown', regions: ['us-east-1', 'eu-west-1'], application: { module: './app.mjs', event: 'direct' }, steps: [{ at: 0, event: { id: 'e1', region: 'us-east-1', item: 'X#1', data: { n: 1 } } }] },
      { baseDir: dir },
    );
    return report.trace.filter((e) => e.kind === 'lambda-attempt-failed').map((e) => (e as { message: string }).message);
  }

  it('names a cyclic object, a BigInt and one holding a BigInt as what they are', async () => {
    expect(await failureOf('export const handler = async () => { const o = { a: 1 }; o.self = o; throw o; };\n')).toEqual(['[object Object]']);
    expect(await failureOf('export const handler = async () => { throw 42n; };\n')).toEqual(['42n']);
    expect(await failureOf('export const handler = async () => { throw { code: 7n }; };\n')).toEqual(['[object Object]']);
  });

  it('still shows a string as itself and an object as its JSON', async () => {
    expect(await failureOf('export const handler = async () => { throw "no stock"; };\n')).toEqual(['no stock']);
    expect(await failureOf('export const handler = async () => { throw { code: 42 }; };\n')).toEqual(['{"code":42}']);
  });
});
