import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { lambdaContext, loadUserModule } from '../../../src/app/user-module/index.js';
import { thrownAt } from '../../../src/app/user-module/thrown-at.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/user-modules');
const MODULE = join(FIXTURES, 'throws.ts');
const services = { region: 'us-east-1', dynamodbRequestHandler: undefined as never, recordEffect: () => {}, onRefusal: () => {} };
const context = lambdaContext({ functionName: 'throws', region: 'us-east-1', awsRequestId: 'req-1', remainingMs: () => 3000 });

/** What throws.ts's handler rejects with (throws-helper.ts throws it), its stack formatted by `format`. */
async function thrown(format: typeof Error.prepareStackTrace): Promise<Error> {
  const code = await loadUserModule({ path: MODULE, handler: 'handler', env: {} });
  const vitestFormat = Error.prepareStackTrace;
  Error.prepareStackTrace = format;
  try {
    const error = (await code.instantiate(services).handler({}, context).catch((e: unknown) => e)) as Error;
    void error.stack; // formatted now, by `format`
    return error;
  } finally {
    Error.prepareStackTrace = vitestFormat;
  }
}

describe('thrownAt: where in the team’s own files an error was thrown', () => {
  it('names the helper file and line, relative to the module, whether Node mapped the stack or a test runner left the bundle’s lines', async () => {
    // Node's formatter applies the bundle's source map; vitest's (like jest's) does not.
    const byNode = await thrown(undefined);
    expect(byNode.stack).toContain(join(FIXTURES, 'throws-helper.ts'));
    const byVitest = await thrown(Error.prepareStackTrace);
    expect(byVitest.stack).toContain('.geosim-bundle.js');
    expect(thrownAt(byNode, MODULE)).toBe('throws-helper.ts:2:9');
    expect(thrownAt(byVitest, MODULE)).toBe('throws-helper.ts:2:9');
    // Relative to the module's directory, with / on every platform.
    expect(thrownAt(byNode, join(FIXTURES, 'throws.ts'))).not.toContain(FIXTURES);
  });

  it('passes over frames outside the team’s bundled files, and gives nothing when no frame is the team’s', async () => {
    await loadUserModule({ path: MODULE, handler: 'handler', env: {} });
    const error = new Error('from elsewhere');
    error.stack = [
      'Error: from elsewhere',
      '    at parse (node:internal/json:1:2)',
      `    at send (${join(FIXTURES, 'node_modules', 'some-package', 'index.js')}:10:3)`,
      `    at run (${join(import.meta.dirname, 'thrown-at.test.ts')}:1:1)`,
      '    at new Promise (<anonymous>)',
      `    at async handler (${join(FIXTURES, 'throws.ts')}:4:10)`,
    ].join('\n');
    expect(thrownAt(error, MODULE)).toBe('throws.ts:4:10');
    error.stack = error.stack.split('\n').slice(0, -1).join('\n');
    expect(thrownAt(error, MODULE)).toBeUndefined();
    expect(thrownAt('a string thrown', MODULE)).toBeUndefined();
    expect(thrownAt(Object.assign(new Error('no stack'), { stack: undefined }), MODULE)).toBeUndefined();
  });

  it('still maps after a garbage collection: the bundle’s source map is kept as long as its compiled code', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await loadUserModule({ path: MODULE, handler: 'handler', env: {} });
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(thrownAt(await thrown(Error.prepareStackTrace), MODULE)).toBe('throws-helper.ts:2:9');
    expect(thrownAt(await thrown(undefined), MODULE)).toBe('throws-helper.ts:2:9');
  });
});
