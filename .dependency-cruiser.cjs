// geosim's import rules: imports point one way, down the pipeline the README promises.
//
//   cli → pipeline (load → simulate → count → check → report; the diagram job)
//     → scenario · sim · backends · app · dynamodb · serve · aws
//     → check (reads the trace and the scenario model)
//     → trace → errors.js (imports nothing of geosim)
//   render (reads the trace and the report; the only place that words things for users)
//
// dependency-cruiser 17 reads JavaScript (TypeScript 7 is beyond it), so the rules run over the
// built dist/: `import type` vanishes there, and a type-only import breaks no rule but the cycle
// rule of the type graph (no-circular-types). Run: `npm run build && npx depcruise --config .dependency-cruiser.cjs dist`
// (the build starts from an empty dist/, so no output of a deleted source is judged; the test
// cruises only the files built from src/).

/** Everything of geosim in dist/. */
const GEOSIM = '^dist/';
/** The bottom of the graph: the error types whose exit codes the CLI reports. */
const ERRORS = '^dist/errors\\.js$';
/** The model's core and its ports: what simulates, stores and replicates. */
const CORE = '^dist/(scenario|sim|backends|app|dynamodb|serve|aws)/';

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const forbidden = [
  {
    name: 'no-circular',
    comment: 'A file-level cycle: two modules that need each other are one module, or one of them holds what belongs lower down.',
    severity: 'error',
    from: { path: GEOSIM },
    to: { circular: true },
  },
  {
    name: 'errors-at-bottom',
    comment: 'src/errors.ts imports nothing of geosim, so every layer can throw its errors without reaching up.',
    severity: 'error',
    from: { path: ERRORS },
    to: { path: GEOSIM, pathNot: ERRORS },
  },
  {
    name: 'only-cli-imports-cli',
    comment: 'The CLI is the edge: nothing below it may import it (its errors are in src/errors.ts).',
    severity: 'error',
    from: { path: GEOSIM, pathNot: '^dist/cli/' },
    to: { path: '^dist/cli/' },
  },
  {
    name: 'only-cli-imports-pipeline',
    comment: 'The pipeline (load → simulate → count → check → report, the diagram job) is driven by the CLI, by geosim explore (explore/, which runs it many times), and by the package entry (run() for a team\'s own tests) alone.',
    severity: 'error',
    from: { path: GEOSIM, pathNot: '^dist/(cli|pipeline|explore)/|^dist/index\\.js$' },
    to: { path: '^dist/pipeline/' },
  },
  {
    name: 'render-reads-trace-only',
    comment: 'A renderer reads the trace and the report (trace/); it never loads a scenario, runs the model, calls a backend or checks.',
    severity: 'error',
    from: { path: '^dist/render/' },
    to: { path: GEOSIM, pathNot: `^dist/(render|trace)/|${ERRORS}` },
  },
  {
    name: 'check-reads-trace-and-scenario',
    comment: 'The checks judge a finished run from its trace, final items and the scenario model; they perform nothing.',
    severity: 'error',
    from: { path: '^dist/check/' },
    to: { path: GEOSIM, pathNot: `^dist/(check|trace)/|^dist/scenario/model\\.js$|${ERRORS}` },
  },
  {
    name: 'core-imports-no-outer-layer',
    comment: 'The model, its backends and the application do not call the checks, the renderers, the pipeline or the CLI: those call them.',
    severity: 'error',
    from: { path: CORE },
    to: { path: '^dist/(check|render|pipeline|cli)/' },
  },
  {
    name: 'trace-is-below',
    comment: 'The trace (events, items, the report) is what every layer above shares; it imports nothing above it.',
    severity: 'error',
    from: { path: '^dist/trace/' },
    to: { path: GEOSIM, pathNot: `^dist/trace/|${ERRORS}` },
  },
  {
    // The type graph: test/architecture/import-rules.test.ts writes one module per file of dist/
    // under dist-types/ (in a temporary directory), importing what the .js and the .d.ts import,
    // so a cycle through `import type` counts too. The rules above judge runtime imports only.
    name: 'no-circular-types',
    comment: 'A file-level cycle through type imports: move the shared type to a module both import (as SetExit went to cli/io.ts, PathProblem to scenario/problems.ts).',
    severity: 'error',
    from: { path: '^dist-types/' },
    to: { circular: true },
  },
  {
    name: 'library-entry-is-top',
    comment: "dist/index.js is the package's entry for programs; nothing inside geosim imports it.",
    severity: 'error',
    from: { path: GEOSIM },
    to: { path: '^dist/index\\.js$' },
  },
];


// KNOWN_VIOLATIONS: imports allowed to break a rule for now, each with the reason. Empty: issue 12
// removed the last. The test fails for an entry that no longer happens, so the list only shrinks;
// list every import on a cycle (the report names one per cycle, the rule judges each).
const KNOWN_VIOLATIONS = [
].map(([rule, from, to]) => ({ type: 'dependency', from, to, rule: { name: rule, severity: 'error' } }));

module.exports = {
  forbidden,
  options: {
    // tsc's other outputs, and the esbuild bundle of the terminal view (ink and react inside).
    exclude: { path: '\\.(d\\.ts|map)$|\\.bundle\\.mjs$' },
    doNotFollow: { path: 'node_modules' },
    // Only geosim's own modules are judged (packages and Node built-ins are not); dynamic imports
    // count, a lazily loaded module is still a dependency.
    includeOnly: '^dist(-types)?/',
    knownViolations: KNOWN_VIOLATIONS,
  },
};

