import { open, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { jsonChunks } from '../render/json.js';
import type { RunReport } from '../trace/report.js';

/**
 * Writes a session's report as `geosim run --format json` writes reports (one scenario), so
 * `geosim diagram FILE.json` and the views read it. Atomic: the chunks go to a temporary file in
 * the same directory, which then replaces the target in one rename, so a kill during the write
 * leaves the old file (or none), never half a trace. Chunked: a long trace never has to exist as
 * one string.
 */
export async function writeTraceFile(path: string, report: RunReport): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      let pending: string[] = [];
      let size = 0;
      for (const chunk of jsonChunks([report], { passed: 1, failed: 0 })) {
        pending.push(chunk);
        size += chunk.length;
        if (size >= 1 << 20) {
          await handle.write(pending.join(''));
          pending = [];
          size = 0;
        }
      }
      if (pending.length > 0) await handle.write(pending.join(''));
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
