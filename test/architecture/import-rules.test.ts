import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The import rules of .dependency-cruiser.cjs, run over the built dist/ (dependency-cruiser 17 reads
// JavaScript; `npm test` builds first). Only the files built from today's src/ are cruised: tsc
// leaves the output of deleted or moved sources in dist/, and those must neither fail nor pass
// the rules.

const ROOT = join(import.meta.dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

let options: ICruiseOptions;
const temps: string[] = [];
beforeAll(async () => {
  options = await extractDepcruiseOptions(CONFIG);
});
afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-import-rules-'));
  temps.push(dir);
  return dir;
}

/** Every module of src/, as the path of its build under dist/ (`dist/cli/main.js`). */
function builtModules(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path.replace(/^src\//, 'dist/').replace(/\.tsx?$/, '.js'));
    }
  };
  walk('src');
  return out.sort();
}

/** The relative module specifiers a file names: static and dynamic imports, re-exports, and `import("…")` types in a .d.ts. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*(['"])(\.{1,2}\/[^'"]+)\1/g)].map((m) => m[2]!);
}

/**
 * The type graph of dist/: under `<dir>/dist-types/`, one module per module of dist/ that imports
 * what its .js and its .d.ts import, so dependency-cruiser sees `import type` edges too.
 */
function writeTypeGraph(dir: string, modules: readonly string[]): void {
  for (const module of modules) {
    const js = readFileSync(join(ROOT, module), 'utf8');
    const dts = module.replace(/\.js$/, '.d.ts');
    const types = existsSync(join(ROOT, dts)) ? readFileSync(join(ROOT, dts), 'utf8') : '';
    const target = join(dir, module.replace(/^dist\//, 'dist-types/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, [...new Set([...specifiers(js), ...specifiers(types)])].map((s) => `import '${s}';\n`).join(''));
  }
}

async function cruiseIn(baseDir: string, files: string[]): Promise<ICruiseResult> {
  const result = await cruise(files, { ...options, baseDir, outputType: 'json' });
  return JSON.parse(result.output as string) as ICruiseResult;
}

const isBroken = (v: IViolation): boolean => v.rule.severity !== 'ignore';

/**
 * Every import that breaks a rule, as "rule: from → to", the allowed ones (KNOWN_VIOLATIONS) too.
 * Read from the modules rather than the summary, which reports one import per cycle.
 */
function brokenImports(result: ICruiseResult, { known }: { known: boolean }): string[] {
  return result.modules.flatMap((m) =>
    m.dependencies.flatMap((d) => (d.rules ?? []).filter((r) => known || r.severity !== 'ignore').map((r) => `${r.name}: ${m.source} → ${d.resolved}`)),
  );
}
const ruleComment = (name: string): string => options.ruleSet?.forbidden?.find((r) => r.name === name)?.comment ?? '';

/** "rule: from → to", the cycle when there is one, and why the rule exists. */
function describeViolation(v: IViolation): string {
  const cycle = v.cycle && v.cycle.length > 0 ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${cycle}\n    ${ruleComment(v.rule.name)}`;
}

function explain(broken: IViolation[]): string {
  return `${broken.length} import(s) against the rules of .dependency-cruiser.cjs (paths in dist/ are src/ built):\n  ${broken.map(describeViolation).join('\n  ')}`;
}

describe('import rules (.dependency-cruiser.cjs over dist/)', () => {
  const modules = builtModules();
  let runtime: ICruiseResult;
  let types: ICruiseResult;

  beforeAll(async () => {
    runtime = await cruiseIn(ROOT, modules.filter((m) => existsSync(join(ROOT, m))));
    const dir = tempDir();
    writeTypeGraph(dir, modules.filter((m) => existsSync(join(ROOT, m))));
    types = await cruiseIn(dir, ['dist-types']);
  });

  it('cruises a build of the src/ it sits beside (run npm run build when this fails)', () => {
    const stale = modules.filter((m) => {
      const source = ['.ts', '.tsx'].map((ext) => join(ROOT, m.replace(/^dist\//, 'src/').replace(/\.js$/, ext))).find(existsSync)!;
      return !existsSync(join(ROOT, m)) || statSync(join(ROOT, m)).mtimeMs < statSync(source).mtimeMs;
    });
    expect(stale, `dist/ is missing or older than src/ for these; run npm run build`).toEqual([]);
    expect(runtime.summary.totalCruised).toBe(modules.length);
  });

  it('finds no runtime import against the one-way flow and no file-level cycle', () => {
    const broken = runtime.summary.violations.filter(isBroken);
    expect(broken.map(describeViolation), explain(broken)).toEqual([]);
  });

  it('finds no file-level cycle through type imports either', () => {
    expect(types.summary.totalCruised).toBe(modules.length);
    const broken = types.summary.violations.filter(isBroken);
    expect(broken.map(describeViolation), explain(broken)).toEqual([]);
  });

  it('lists in KNOWN_VIOLATIONS only imports that still break a rule, so the list only shrinks', () => {
    const happening = new Set([...brokenImports(runtime, { known: true }), ...brokenImports(types, { known: true })]);
    const gone = (options.knownViolations ?? []).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).filter((v) => !happening.has(v));
    expect(gone, 'these entries of KNOWN_VIOLATIONS in .dependency-cruiser.cjs no longer happen: delete them').toEqual([]);
  });

  it('catches a wrong import added to a copy of dist/, naming the rule and the import', async () => {
    const dir = tempDir();
    for (const module of modules) {
      mkdirSync(dirname(join(dir, module)), { recursive: true });
      writeFileSync(join(dir, module), readFileSync(join(ROOT, module)));
    }
    // A renderer that runs scenarios itself, as render/mermaid/scenario-run.ts once did.
    writeFileSync(join(dir, 'dist/render/mermaid/wrong.js'), "import { Simulation } from '../../sim/simulation.js';\nexport const run = Simulation;\n");
    const result = await cruiseIn(dir, [...modules, 'dist/render/mermaid/wrong.js']);
    // Only the added file's imports: the test above names anything else that breaks a rule.
    expect(brokenImports(result, { known: false }).filter((v) => v.includes('wrong.js'))).toEqual(['render-reads-trace-only: dist/render/mermaid/wrong.js → dist/sim/simulation.js']);
  });

  it('has no rule that matches nothing: each one catches its wrong import in a fixture', async () => {
    const dir = tempDir();
    const fixture: Record<string, string> = {
      'dist/errors.js': "import './trace/events.js';",
      'dist/trace/events.js': "import '../sim/world.js';",
      'dist/sim/world.js': "import '../check/counts.js';",
      'dist/check/counts.js': "import '../sim/version.js';",
      'dist/sim/version.js': '',
      'dist/render/text.js': "import '../scenario/load.js';",
      'dist/scenario/load.js': '',
      'dist/serve/session.js': "import '../pipeline/diagram.js';",
      'dist/pipeline/diagram.js': "import '../cli/main.js';",
      'dist/cli/main.js': "const { main } = await import('../index.js');",
      'dist/index.js': '',
      'dist/app/a.js': "import './b.js';",
      'dist/app/b.js': "import './a.js';",
      'dist-types/cli/io.js': "import './commands/index.js';",
      'dist-types/cli/commands/index.js': "import '../io.js';",
    };
    for (const [path, text] of Object.entries(fixture)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `${text}\n`);
    }
    const result = await cruiseIn(dir, ['dist', 'dist-types']);
    const caught = brokenImports(result, { known: false });
    expect(caught.sort()).toEqual(
      [
        'errors-at-bottom: dist/errors.js → dist/trace/events.js',
        'trace-is-below: dist/trace/events.js → dist/sim/world.js',
        'core-imports-no-outer-layer: dist/sim/world.js → dist/check/counts.js',
        'check-reads-trace-and-scenario: dist/check/counts.js → dist/sim/version.js',
        'render-reads-trace-only: dist/render/text.js → dist/scenario/load.js',
        'core-imports-no-outer-layer: dist/serve/session.js → dist/pipeline/diagram.js',
        'only-cli-imports-pipeline: dist/serve/session.js → dist/pipeline/diagram.js',
        'only-cli-imports-cli: dist/pipeline/diagram.js → dist/cli/main.js',
        'library-entry-is-top: dist/cli/main.js → dist/index.js',
        'no-circular: dist/app/a.js → dist/app/b.js',
        'no-circular: dist/app/b.js → dist/app/a.js',
        'no-circular-types: dist-types/cli/commands/index.js → dist-types/cli/io.js',
        'no-circular-types: dist-types/cli/io.js → dist-types/cli/commands/index.js',
      ].sort(),
    );
    // Every rule of the config is among those caught: a rule whose paths no longer match fails here.
    const rules = (options.ruleSet?.forbidden ?? []).map((r) => r.name);
    expect(new Set(caught.map((c) => c.slice(0, c.indexOf(':'))))).toEqual(new Set(rules));
  });
});
