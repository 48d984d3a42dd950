// Bundles the terminal view (ink, react and the components) into one minified ES module after tsc.
// Importing ink 6 + react unbundled costs ~7x `node -e 0` (es-toolkit's compat build, react's large
// CommonJS reconciler); the bundle loads in a fraction of that. src/render/ink/load.ts falls back to
// the unbundled module when the bundle is missing.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/render/ink/render-pretty.js'],
  outfile: 'dist/render/ink/terminal-view.bundle.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // ink imports the React devtools only with DEV=true; a bundle cannot keep that import lazy.
  alias: { 'react-devtools-core': './scripts/no-devtools.mjs' },
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CommonJS (react) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __geosimRequire } from 'node:module'; const require = __geosimRequire(import.meta.url);" },
});
