import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { timeoutSettingsOf, withClientTimeouts } from '../../../src/app/user-module/client-timeouts.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A request that answers after `ms`. */
const answersAfter = (ms: number) => () => new Promise((resolve) => setTimeout(() => resolve('answer'), ms));
const warn = { warn: vi.fn() };

async function outcome(handle: (r: unknown, o?: { requestTimeout?: number }) => Promise<unknown>, options?: { requestTimeout?: number }) {
  const start = Date.now();
  const settled = handle({}, options).then(
    (value) => ['ok', value, Date.now() - start],
    (error: Error) => [error.name, error.message, Date.now() - start],
  );
  await vi.runAllTimersAsync();
  return settled;
}

describe('a client’s own HTTP handler timeouts', () => {
  it('a socket timeout of 6 s or more is armed 3 s after the request starts, as Node’s handler defers it', async () => {
    const handle = withClientTimeouts(answersAfter(20_000), timeoutSettingsOf({ socketTimeout: 6000 })!, warn);
    expect(await outcome(handle)).toEqual(['TimeoutError', '@smithy/node-http-handler - the request socket timed out after 6000 ms of inactivity (configured by client requestHandler).', 9000]);
  });

  it('a service’s default socket timeout is named as such', async () => {
    const handle = withClientTimeouts(answersAfter(500), timeoutSettingsOf({ defaultSocketTimeout: 100 })!, warn);
    expect(await outcome(handle)).toEqual(['TimeoutError', '@smithy/node-http-handler - the request socket timed out after 100 ms of inactivity (service default socket timeout).', 100]);
  });

  it('a requestTimeout given with the call wins over the handler’s, and without throwOnRequestTimeout only warns', async () => {
    const handler = { handle: () => Promise.resolve(), configProvider: Promise.resolve({ requestTimeout: 1000, throwOnRequestTimeout: false }) };
    const handle = withClientTimeouts(answersAfter(300), timeoutSettingsOf(handler)!, warn);
    expect(await outcome(handle, { requestTimeout: 50 })).toEqual(['ok', 'answer', 300]);
    expect(warn.warn).toHaveBeenCalledWith('@smithy/node-http-handler - [WARN] a request has exceeded the configured 50 ms requestTimeout. Init client requestHandler with throwOnRequestTimeout=true to turn this into an error.');
  });

  it('an answer in time clears the timers; a handler without timeouts, or none at all, is left alone', async () => {
    const handle = withClientTimeouts(answersAfter(50), timeoutSettingsOf({ socketTimeout: 100 })!, warn);
    expect(await outcome(handle)).toEqual(['ok', 'answer', 50]);
    expect(vi.getTimerCount()).toBe(0);
    expect(timeoutSettingsOf(undefined)).toBeUndefined();
    expect(timeoutSettingsOf({ keepAlive: true })).toBeUndefined();
    expect(await timeoutSettingsOf({ handle() {}, configProvider: Promise.resolve({ connectionTimeout: 100 }) })).toBeUndefined();
  });
});
