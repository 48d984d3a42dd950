import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonJsNameUse, loadedAsEsModule } from '../../../src/app/user-module/esm-globals.js';

describe('commonJsNameUse: CommonJS names an ES module cannot use (Lambda throws at init)', () => {
  it('finds require(...), __dirname and __filename, at their line and column', () => {
    expect(commonJsNameUse("import x from 'x';\nconst { a } = require('a');\n")).toEqual({ name: 'require', line: 2, column: 15 });
    expect(commonJsNameUse('export const where = __dirname;\n')).toEqual({ name: '__dirname', line: 1, column: 22 });
    expect(commonJsNameUse('console.log(__filename);\n')).toMatchObject({ name: '__filename' });
  });

  it('leaves the ES module idioms, guards, members, comments and strings alone', () => {
    const fine = [
      "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst pg = require('pg');\n",
      "import { fileURLToPath } from 'node:url';\nconst __dirname = fileURLToPath(new URL('.', import.meta.url));\nexport const d = __dirname;\n",
      "const load = typeof require === 'function' ? require : undefined;\n",
      'const m = module.require; obj.require("x"); obj.__dirname;\n',
      "// require('x') in a comment\n/* __dirname */ const s = \"require('y') __filename\"; const t = `__dirname`;\n",
      'function wrap(require) { return require("x"); }\n',
      'const requireAuth = () => 1; const __dirnameish = 2;\n',
    ];
    for (const source of fine) expect(commonJsNameUse(source), source).toBeUndefined();
  });
});

describe('loadedAsEsModule: as Node decides it', () => {
  it('a .mjs file always, a .js file by its nearest package.json, never .cjs or TypeScript', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-esm-'));
    mkdirSync(join(dir, 'esm', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'esm', 'package.json'), '{"type": "module"}');
    writeFileSync(join(dir, 'package.json'), '{"name": "commonjs"}');
    expect(loadedAsEsModule(join(dir, 'a.mjs'))).toBe(true);
    expect(loadedAsEsModule(join(dir, 'a.js'))).toBe(false);
    expect(loadedAsEsModule(join(dir, 'esm', 'deep', 'a.js'))).toBe(true);
    expect(loadedAsEsModule(join(dir, 'esm', 'a.cjs'))).toBe(false);
    expect(loadedAsEsModule(join(dir, 'esm', 'a.ts'))).toBe(false);
  });
});
