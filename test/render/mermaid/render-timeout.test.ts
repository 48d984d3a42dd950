import type { Browser } from 'puppeteer';
import { describe, expect, it } from 'vitest';
import { RENDER_TIMEOUT_MS, renderDiagrams, renderTimeoutError } from '../../../src/render/mermaid/render.js';

/** Issue 10 item 13: a slow render ends with geosim's own message naming --timeout, exit 3. */
describe('renderDiagrams with a time limit', () => {
  const job = { name: 'slow-one', source: 'sequenceDiagram\n  A->>B: hi\n', format: 'png' as const };
  let closed = 0;
  const fakeBrowser = { close: async () => void closed++ } as unknown as Browser;
  const options = {
    // Any executable file passes the lookup; the injected launch never starts it.
    env: { PUPPETEER_EXECUTABLE_PATH: process.execPath },
    launch: async () => fakeBrowser,
  };

  it('gives up on a renderer slower than the limit, in geosim words naming --timeout, exit 3', async () => {
    const never = (): Promise<Uint8Array> => new Promise(() => undefined);
    const error = await renderDiagrams([job], { ...options, timeoutMs: 20, renderOne: never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const { message, exitCode } = error as Error & { exitCode: number };
    expect(exitCode).toBe(3);
    expect(message).toBe(
      'geosim diagram: rendering slow-one took longer than 0.02s (--timeout 0.02); the machine may be busy: try again, or allow more time, e.g. --timeout 1200. The .mmd files were written.',
    );
    expect(message).not.toMatch(/protocolTimeout|puppeteer/i);
    expect(closed).toBeGreaterThan(0);
  });

  it("turns puppeteer's own protocol timeout into the same message", async () => {
    const puppeteerTimeout = async (): Promise<Uint8Array> => {
      throw new Error("Page.captureScreenshot timed out. Increase the 'protocolTimeout' setting in launch/connect calls for a higher timeout if needed.");
    };
    const error = (await renderDiagrams([job], { ...options, renderOne: puppeteerTimeout }).catch((e: unknown) => e)) as Error & { exitCode: number };
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(renderTimeoutError('slow-one', RENDER_TIMEOUT_MS).message);
    expect(error.message).toContain('took longer than 600s (--timeout 600)');
  });

  it('passes the limit to the browser so that no single call gives up first, and renders what is in time', async () => {
    let protocolTimeout = 0;
    const images = await renderDiagrams([job], {
      ...options,
      timeoutMs: 5000,
      launch: async (_path, ms) => {
        protocolTimeout = ms;
        return fakeBrowser;
      },
      renderOne: async () => new Uint8Array([1, 2, 3]),
    });
    expect(protocolTimeout).toBeGreaterThan(5000);
    expect([...images[0]!.data]).toEqual([1, 2, 3]);
  });
});
