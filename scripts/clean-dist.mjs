// Removes dist/ before a build: tsc never deletes the output of a source file that is gone, and the
// import rules (test/architecture) and the package would otherwise see modules that no longer exist.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
