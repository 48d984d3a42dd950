/**
 * An AWS SDK v3 request handler that answers in-process: the SDK builds, signs and parses as
 * always, and where it would open a socket this handler hands the request to the endpoint of the
 * region the request was signed for (or of its fixed `region`). No socket, no timer, no wall clock
 * of its own.
 */
import type { AwsCredentialIdentity, HttpAuthScheme, HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler, RequestHandlerOutput } from '@smithy/types';
import type { EndpointResolver } from './endpoint.js';
import { dispatch, requestIdSequence } from './wire.js';

export interface InProcessHandlerOptions {
  /**
   * The endpoint of a region, picked per request from the region of its SigV4 signature (the
   * client's `region`). May throw a DynamoDBError for a region it does not serve; the client then
   * receives that error.
   */
  endpointFor: EndpointResolver;
  /** Region of a request that carries no signature (not sent by the SDK); default `us-east-1`. */
  defaultRegion?: string;
  /**
   * Every request goes to this region's endpoint, whatever its signature says (the signature is
   * not read). For a handler given to the clients of one region only, e.g. one per region of a
   * run; without it the region comes from each request's SigV4 credential scope.
   */
  region?: string;
}

/**
 * The handler object the SDK's `requestHandler` option takes (an `HttpHandler`: `handle` plus
 * the config hooks, which are no-ops here).
 */
export interface InProcessRequestHandler extends RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<RequestHandlerOutput<HttpResponse>>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

/**
 * Creates a request handler that sends every request of an SDK v3 client to a DynamoDB endpoint
 * in the same process.
 *
 * @example
 * ```ts
 * import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
 * import { createInProcessRequestHandler } from 'geosim';
 *
 * const requestHandler = createInProcessRequestHandler({ endpointFor: (region) => replicas.get(region)! });
 * const client = new DynamoDBClient({
 *   region: 'eu-west-1', // picks the endpoint
 *   requestHandler,
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
 * });
 * const docs = DynamoDBDocumentClient.from(client);
 * await client.send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'o-1' } } }));
 * ```
 */
export function createInProcessRequestHandler(options: InProcessHandlerOptions): InProcessRequestHandler {
  const nextRequestId = requestIdSequence();
  const defaultRegion = options.defaultRegion ?? 'us-east-1';
  return {
    metadata: { handlerProtocol: 'in-process' },
    async handle(request: HttpRequest, handlerOptions?: HttpHandlerOptions): Promise<RequestHandlerOutput<HttpResponse>> {
      const signal = handlerOptions?.abortSignal;
      if (signal?.aborted) throw abortError(signal);
      const body = request.body as unknown;
      const answer = dispatch(
        { headers: request.headers, body: typeof body === 'string' || body instanceof Uint8Array ? body : undefined },
        { endpointFor: options.endpointFor, defaultRegion, requestId: nextRequestId(), ...(options.region !== undefined ? { region: options.region } : {}) },
      ).then((wire): RequestHandlerOutput<HttpResponse> => {
        // A Uint8Array body is what the SDK's collectBody reads directly (no stream to drain).
        return { response: { statusCode: wire.status, ...(wire.status === 200 ? { reason: 'OK' } : {}), headers: wire.headers, body: wire.body } };
      });
      return signal === undefined ? answer : abortable(answer, signal);
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}

/**
 * The answer, or an AbortError as soon as `signal` aborts while the request is in flight (an
 * `abortSignal` of the SDK's call, such as `AbortSignal.timeout(ms)`), as the SDK's own HTTP handler
 * gives up on it. What the request did stays done: the table may have applied a write whose
 * caller stopped waiting, as a real one may.
 */
function abortable<T>(answer: Promise<T>, signal: NonNullable<HttpHandlerOptions['abortSignal']>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    const target = signal as { addEventListener?: (type: 'abort', listener: () => void, options: { once: true }) => void; removeEventListener?: (type: 'abort', listener: () => void) => void; onabort?: unknown };
    // a DOM AbortSignal, or the SDK's own older shape with `onabort` only (as NodeHttpHandler reads it)
    if (typeof target.addEventListener === 'function') target.addEventListener('abort', onAbort, { once: true });
    else target.onabort = onAbort;
    const settle = () => {
      if (typeof target.removeEventListener === 'function') target.removeEventListener('abort', onAbort);
      else if (target.onabort === onAbort) target.onabort = null;
    };
    answer.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

/**
 * The AbortError the SDK's HTTP handler (@smithy/node-http-handler 4) rejects with: `Request
 * aborted` with the signal's reason as its `cause` (a TimeoutError DOMException for
 * `AbortSignal.timeout`, so a handler can tell a deadline from a cancel), or a reason that is not
 * an Error as its message.
 */
function abortError(signal: unknown): Error {
  const reason = signal !== null && typeof signal === 'object' && 'reason' in signal ? (signal as { reason: unknown }).reason : undefined;
  const error = reason && !(reason instanceof Error) ? new Error(String(reason)) : new Error('Request aborted', reason instanceof Error ? { cause: reason } : undefined);
  error.name = 'AbortError';
  return error;
}

/** The SigV4 scheme with a signer that leaves the request as it is (the model checks no signature). */
export function unsignedSigV4(credentials: AwsCredentialIdentity): HttpAuthScheme {
  return { schemeId: 'aws.auth#sigv4', identityProvider: () => async () => credentials, signer: { sign: async (request) => request } };
}

/**
 * The settings of a DynamoDBClient (or DynamoDBStreamsClient) of one region of an in-process
 * model, made for speed: requests are not signed, since the handler knows its region and nothing
 * reads a signature. SigV4 signing (hashing the body, deriving the key, two HMACs) is the largest
 * part of the SDK's own cost per request that a client setting can remove; the answers are those
 * of a signed client. (`cacheMiddleware: true` would save more, but DynamoDBDocumentClient refuses
 * a client that has it, so it is left to the caller.)
 *
 * @example
 * ```ts
 * const client = new DynamoDBClient(inProcessClientConfig({ region: 'eu-west-1', endpointFor: (r) => replicas.get(r)! }));
 * ```
 */
export function inProcessClientConfig(options: { region: string; endpointFor: EndpointResolver }): {
  region: string;
  credentials: AwsCredentialIdentity;
  requestHandler: InProcessRequestHandler;
  httpAuthSchemes: HttpAuthScheme[];
} {
  // Any credentials will do (none is checked); a fresh object per client, as the SDK marks it.
  const credentials: AwsCredentialIdentity = { accessKeyId: 'geosim', secretAccessKey: 'geosim' };
  return {
    region: options.region,
    credentials,
    requestHandler: createInProcessRequestHandler({ endpointFor: options.endpointFor, region: options.region }),
    httpAuthSchemes: [unsignedSigV4(credentials)],
  };
}
