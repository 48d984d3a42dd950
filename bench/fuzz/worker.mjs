// Runs fuzz cases for bench/fuzz/run.mjs in a worker, so a case that hangs can be stopped.
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { caseDir } from './cases.mjs';
import { checkCase } from './check.mjs';

const { loadScenarioText } = await import('../../dist/scenario/load.js');
const { main } = await import('../../dist/cli/main.js');
const dir = caseDir(join(import.meta.dirname, '../..'));
parentPort.on('message', async ({ index, c, format }) => {
  const r = await checkCase(c, { loadScenarioText, main }, dir, format);
  parentPort.postMessage({ index, ...r });
});
parentPort.postMessage({ ready: true });
