/**
 * Bundles a team's handler module once with esbuild: TypeScript or JavaScript, ESM or CommonJS,
 * the team's own imports inside; the AWS SDK and Node's network modules left as `require()` calls
 * that each instance answers with its facades (instance.ts). CommonJS output, so the bundle can
 * be evaluated again and again as a function (ESM instances are never collected; your-app.md).
 *
 * esbuild strips TypeScript types without checking them: a type error does not stop a run (run
 * `tsc` in the team's own build for that); a syntax error does.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { commonJsNameUse, loadedAsEsModule } from './esm-globals.js';

export const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

/**
 * The file name a module's bundle is compiled under, next to the module (never written): its
 * source map's paths are relative to the module's directory, and stack frames it does not map name it.
 */
export function bundleFilename(modulePath: string): string {
  return `${modulePath}.geosim-bundle.js`;
}

/** Global the bundle reads for `import.meta.url` (defined by the banner from `__filename`). */
const IMPORT_META_URL = '__geosim_import_meta_url';

export interface Bundle {
  /** CommonJS code with an inline source map. */
  code: string;
  /** Wall ms the bundling took. */
  bundleMs: number;
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; lineText?: string } | null;
}

/** `file:line:col: text`, with the line and a caret under the column when esbuild gave them. */
function describe(message: EsbuildMessage, cwd: string): string {
  const where = message.location;
  if (where === null) return message.text;
  const file = isAbsolute(where.file) ? where.file : resolve(cwd, where.file);
  const text = /^Top-level await is currently not supported/.test(message.text)
    ? 'top-level await is not supported in an application module: Lambda runs it in an ES module, but geosim evaluates your module as CommonJS, once per region; move the awaited work behind a promise created at module scope and await it in the handler'
    : message.text;
  const head = `${file}:${where.line}:${where.column + 1}: ${text}`;
  return where.lineText === undefined ? head : `${head}\n  ${where.lineText}\n  ${' '.repeat(where.column)}^`;
}

/**
 * Bundles made in this process, by module path, with the modification times of every file that
 * went into each: `geosim explore` runs a scenario thousands of times, and bundling again each time
 * cost more than the run. A changed file (a team editing its handler under `vitest --watch`)
 * bundles again.
 */
const bundles = new Map<string, { inputs: Array<[string, number]>; bundle: Bundle }>();

function unchanged(inputs: Array<[string, number]>): boolean {
  return inputs.every(([file, mtime]) => {
    try {
      return statSync(file).mtimeMs === mtime;
    } catch {
      return false;
    }
  });
}

export async function bundleUserModule(path: string): Promise<Bundle> {
  const cached = bundles.get(path);
  if (cached !== undefined && unchanged(cached.inputs)) return { code: cached.bundle.code, bundleMs: 0 };
  const bundle = await bundleAfresh(path);
  return bundle;
}

async function bundleAfresh(path: string): Promise<Bundle> {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new UserError(`${path}: the application module does not exist (application.module is resolved against the scenario file)`);
  }
  if (!(MODULE_EXTENSIONS as readonly string[]).includes(extname(path))) {
    throw new UserError(`${path}: an application module is one of ${MODULE_EXTENSIONS.join(', ')}`);
  }
  // Loaded when a scenario names a module, so the CLI starts without it.
  const esbuild = await import('esbuild');
  const cwd = dirname(path);
  const started = performance.now();
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [path],
      absWorkingDir: cwd,
      // Not written: names the output so the source map's paths are relative to the module's directory.
      outfile: bundleFilename(path),
      write: false,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      // import() of a package becomes require(), so lazily loaded SDK clients get the facades too
      // (a function compiled by vm has no dynamic import of its own).
      supported: { 'dynamic-import': false },
      external: ['@aws-sdk/*', '@smithy/*', 'undici'],
      define: { 'import.meta.url': IMPORT_META_URL, 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
      banner: { js: `var ${IMPORT_META_URL} = require("node:url").pathToFileURL(__filename).href;` },
      logLevel: 'silent',
      metafile: true,
    });
  } catch (error) {
    const errors = (error as { errors?: EsbuildMessage[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw error;
    const lines = errors.slice(0, 5).map((message) => describe(message, cwd));
    const more = errors.length > 5 ? `\n(${errors.length - 5} more)` : '';
    throw new UserError(`${path}: this module cannot be loaded:\n${lines.join('\n')}${more}`, { setting: ['application', 'module'], code: 'module-syntax' });
  }
  refuseCommonJsInEsm(path, cwd, result.warnings);
  refuseCommonJsNamesInEsm(path, cwd, Object.keys(result.metafile?.inputs ?? {}));
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${path}`);
  const bundle = { code: output.text, bundleMs: performance.now() - started };
  try {
    const inputs = Object.keys(result.metafile?.inputs ?? {}).map((file): [string, number] => {
      const absolute = resolve(cwd, file);
      return [absolute, statSync(absolute).mtimeMs];
    });
    if (inputs.length > 0) bundles.set(path, { inputs, bundle });
  } catch {
    // an input that is not a plain file: bundled afresh next time
  }
  return bundle;
}

/**
 * esbuild bundles CommonJS that Node loads as an ES module (in a `.mjs` file, or a `.js` one whose
 * package.json says "type": "module"), and it runs here; on Node, and so on Lambda, `exports` and
 * `module` are not defined there and the file cannot load. Refused in the team's own files (not
 * under node_modules), unless the file guards what it touches (UMD's `typeof module !== 'undefined'`),
 * which Node loads.
 */
function refuseCommonJsInEsm(path: string, cwd: string, warnings: readonly EsbuildWarning[]): void {
  const guarded = new Map<string, boolean>();
  const isGuarded = (file: string): boolean => {
    let known = guarded.get(file);
    if (known === undefined) {
      guarded.set(file, (known = /typeof\s+(module|exports)\b/.test(readFileSync(file, 'utf8'))));
    }
    return known;
  };
  const refused = warnings.filter((w) => {
    if (w.id !== 'commonjs-variable-in-esm' || w.location === null || /(^|[\\/])node_modules[\\/]/.test(w.location.file)) return false;
    return !isGuarded(resolve(cwd, w.location.file));
  });
  if (refused.length === 0) return;
  const lines = refused.slice(0, 3).map((w) => {
    const file = resolve(cwd, w.location!.file);
    const why = extname(file) === '.mjs' ? 'a .mjs file is an ES module' : 'its package.json says "type": "module"';
    const name = /"(\w+)"/.exec(w.text)?.[1] ?? 'exports';
    return describe({ ...w, text: `${w.text.replace(/ and may not work as expected$/, '')}: ${why}, so Node and Lambda load it as one, where this fails (ReferenceError: ${name} is not defined in ES module scope); name it .cjs, or use import and export` }, cwd);
  });
  throw new UserError(`${path}: this module cannot be loaded as Lambda loads it:\n${lines.join('\n')}`, { setting: ['application', 'module'], code: 'module-syntax' });
}

/**
 * `require(...)`, `__dirname` or `__filename` in one of the team's files that Node loads as an ES
 * module: esbuild bundles it (as CommonJS) and it runs here, but on Lambda the module throws
 * `ReferenceError: require is not defined in ES module scope` at init. Refused, at the first use.
 */
function refuseCommonJsNamesInEsm(path: string, cwd: string, inputs: readonly string[]): void {
  const lines: string[] = [];
  for (const input of inputs) {
    const file = resolve(cwd, input);
    if (/(^|[\\/])node_modules[\\/]/.test(file) || !loadedAsEsModule(file)) continue;
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const use = commonJsNameUse(source);
    if (use === undefined) continue;
    const why = extname(file) === '.mjs' ? 'a .mjs file is an ES module' : 'its package.json says "type": "module"';
    const fix = use.name === 'require' ? 'use import, or createRequire(import.meta.url)' : `use import.meta.${use.name === '__dirname' ? 'dirname' : 'filename'}`;
    const lineText = source.split('\n')[use.line - 1];
    lines.push(describe({ text: `"${use.name}" is not defined in ES module scope: ${why}, so Node and Lambda load it as one, where this fails (ReferenceError: ${use.name} is not defined in ES module scope); ${fix}`, location: { file, line: use.line, column: use.column - 1, ...(lineText !== undefined ? { lineText } : {}) } }, cwd));
  }
  if (lines.length === 0) return;
  throw new UserError(`${path}: this module cannot be loaded as Lambda loads it:\n${lines.slice(0, 3).join('\n')}`, { setting: ['application', 'module'], code: 'module-syntax' });
}

interface EsbuildWarning extends EsbuildMessage {
  id?: string;
}
