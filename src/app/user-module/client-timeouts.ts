/**
 * The timeouts a team's DynamoDBClient was given with its own HTTP handler
 * (`requestHandler: new NodeHttpHandler({ requestTimeout, socketTimeout })`, or those options as a
 * plain object), kept when the facade routes its requests to the run's tables.
 *
 * A client that stops waiting is the start of the hazard geosim shows: the SDK takes its
 * TimeoutError as transient and sends the request again, and the first attempt's write may well
 * have landed, so one `ADD n :one` adds once per attempt (4 with the SDK's default attempts). Dropping the client's handler dropped its timeouts
 * with it, and the call simply waited for its answer.
 *
 * As @smithy/node-http-handler 4.x applies them (its `handle`): `socketTimeout` (or the
 * `defaultSocketTimeout` a service sets) fails a request that received nothing for that long (a
 * timeout of 6 s or more is armed 3 s after the request starts, as Node's handler defers it);
 * `requestTimeout` fails it after that long when `throwOnRequestTimeout` is set, and otherwise
 * logs a warning and waits on. A handler of an older release, whose config has no
 * `throwOnRequestTimeout`, used `requestTimeout` as the socket's inactivity timeout: it fails the
 * request then. `connectionTimeout` does not apply: no connection is made.
 */
import type { HttpHandlerOptions } from '@smithy/types';

/** The timeout settings of a resolved NodeHttpHandler config (or its options). */
interface TimeoutConfig {
  requestTimeout?: number | undefined;
  socketTimeout?: number | undefined;
  defaultSocketTimeout?: number | undefined;
  throwOnRequestTimeout?: boolean | undefined;
  logger?: { warn?: (message: string) => void } | undefined;
}

type Handle<R> = (request: R, options?: HttpHandlerOptions & { requestTimeout?: number }) => Promise<unknown>;

/** Below this, Node's handler arms the socket timeout at once; from it on, 3 s later. */
const DEFERRED_FROM_MS = 6000;
const DEFERRAL_MS = 3000;

/**
 * The timeout settings of the `requestHandler` a client was constructed with: a NodeHttpHandler
 * (its config, resolved as it resolves it) or its options as a plain object; undefined when it
 * has none to give (no handler, or another kind).
 */
export function timeoutSettingsOf(requestHandler: unknown): Promise<TimeoutConfig | undefined> | undefined {
  if (requestHandler === null || typeof requestHandler !== 'object') return undefined;
  const handler = requestHandler as { handle?: unknown; configProvider?: unknown; config?: unknown };
  if (typeof handler.handle !== 'function') return hasTimeouts(handler as TimeoutConfig) ? Promise.resolve(optionsAsConfig(handler as TimeoutConfig)) : undefined;
  const provider = handler.config ?? handler.configProvider;
  if (provider === undefined || provider === null) return undefined;
  return Promise.resolve(provider as TimeoutConfig).then((config) => (config && hasTimeouts(config) ? config : undefined));
}

/**
 * `handle` with the client's timeouts: its answer, or a TimeoutError when a timeout comes first in
 * the run's time (the request itself goes on: what it wrote stays written). Timers are the ones
 * the handler's code sees (virtual in the model).
 */
export function withClientTimeouts<R>(handle: Handle<R>, settings: Promise<TimeoutConfig | undefined>, fallbackLogger: { warn(message: string): void }): Handle<R> {
  return async (request, options) => {
    const config = await settings;
    const answer = handle(request, options);
    if (config === undefined) return answer;
    const legacy = !('throwOnRequestTimeout' in config);
    const requestTimeout = options?.requestTimeout ?? config.requestTimeout;
    const socketTimeout = legacy ? (config.socketTimeout ?? requestTimeout) : (config.socketTimeout ?? config.defaultSocketTimeout);
    return new Promise((resolve, reject) => {
      const timers: ReturnType<typeof setTimeout>[] = [];
      const done = () => timers.forEach((timer) => clearTimeout(timer));
      if (isTimeout(socketTimeout)) {
        const at = socketTimeout < DEFERRED_FROM_MS ? socketTimeout : DEFERRAL_MS + socketTimeout;
        const origin = legacy || config.socketTimeout !== undefined ? 'configured by client requestHandler' : 'service default socket timeout';
        timers.push(setTimeout(() => fail(`@smithy/node-http-handler - the request socket timed out after ${socketTimeout} ms of inactivity (${origin}).`), at));
      }
      if (!legacy && isTimeout(requestTimeout)) {
        timers.push(
          setTimeout(() => {
            const message = `@smithy/node-http-handler - [${config.throwOnRequestTimeout ? 'ERROR' : 'WARN'}] a request has exceeded the configured ${requestTimeout} ms requestTimeout.`;
            if (config.throwOnRequestTimeout) fail(message, 'ETIMEDOUT');
            else (config.logger?.warn ? config.logger : fallbackLogger).warn!(`${message} Init client requestHandler with throwOnRequestTimeout=true to turn this into an error.`);
          }, requestTimeout),
        );
      }
      function fail(message: string, code?: string) {
        done();
        reject(Object.assign(new Error(message), { name: 'TimeoutError' }, code ? { code } : {}));
      }
      answer.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  };
}

function isTimeout(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0;
}

/** A timeout of its own, or `throwOnRequestTimeout` for the `requestTimeout` a call may give (`send(command, { requestTimeout })`). */
function hasTimeouts(config: TimeoutConfig): boolean {
  return isTimeout(config.requestTimeout) || isTimeout(config.socketTimeout) || isTimeout(config.defaultSocketTimeout) || config.throwOnRequestTimeout === true;
}

/** Options given as a plain object: what the SDK's own NodeHttpHandler (4.x) resolves them to. */
function optionsAsConfig(options: TimeoutConfig): TimeoutConfig {
  return { requestTimeout: options.requestTimeout, socketTimeout: options.socketTimeout, defaultSocketTimeout: options.defaultSocketTimeout, throwOnRequestTimeout: options.throwOnRequestTimeout, logger: options.logger };
}
