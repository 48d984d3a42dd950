// Runs fuzz cases for bench/fuzz/run.mjs in a worker, so a case that hangs can be stopped.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { checkCase } from './check.mjs';

const { loadScenarioText } = await import('../../dist/scenario/load.js');
const { main } = await import('../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'geosim-fuzz-'));
parentPort.on('message', async ({ index, c, format }) => {
  const r = await checkCase(c, { loadScenarioText, main }, dir, format);
  parentPort.postMessage({ index, ...r });
});
parentPort.postMessage({ ready: true });
