import type { Browser } from 'puppeteer';
import { describe, expect, it } from 'vitest';
import { renderDiagrams } from '../../../src/render/mermaid/render.js';

// A CI job cancelled (SIGTERM) while `geosim diagram --format svg` renders: puppeteer closes the
// browser on the signal, and the page under way fails with "Connection closed". That is the signal's
// doing: exit 143 and one line saying so, not exit 3 "rendering concurrent failed: Connection closed."
describe('renderDiagrams stopped by a signal', () => {
  const job = { name: 'concurrent', source: 'sequenceDiagram\n  A->>B: hi\n', format: 'svg' as const };
  let closed = 0;
  const fakeBrowser = { close: async () => void closed++ } as unknown as Browser;
  // Any executable file passes the lookup; the injected launch never starts it.
  const options = { env: { PUPPETEER_EXECUTABLE_PATH: process.execPath }, launch: async () => fakeBrowser };

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('a rendering that fails after %s ends with its exit code (%i), naming it', async (signal, code) => {
    const listeners = process.listenerCount(signal);
    const closedByPuppeteer = async (): Promise<Uint8Array> => {
      // (emitted, not sent: the listeners run, no process is signalled)
      process.emit(signal, signal);
      throw new Error('Protocol error: Connection closed.');
    };
    const error = (await renderDiagrams([job], { ...options, renderOne: closedByPuppeteer }).catch((e: unknown) => e)) as Error & { exitCode: number };
    expect(error.message).toBe(`geosim diagram: ${signal} stopped the rendering; the .mmd files were written`);
    expect(error.exitCode).toBe(code);
    expect(closed).toBeGreaterThan(0);
    // listening ends with the rendering
    expect(process.listenerCount(signal)).toBe(listeners);
  });

  it('a rendering that fails with no signal is still the machine’s, exit 3', async () => {
    const fails = async (): Promise<Uint8Array> => {
      throw new Error('Protocol error: Connection closed.');
    };
    const error = (await renderDiagrams([job], { ...options, renderOne: fails }).catch((e: unknown) => e)) as Error & { exitCode: number };
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('geosim diagram: rendering concurrent failed: Protocol error: Connection closed.');
  });
});
