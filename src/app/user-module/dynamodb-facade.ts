/**
 * `@aws-sdk/client-dynamodb` as a handler module sees it: the real package, with `DynamoDBClient`
 * replaced by a subclass bound to one region's replica, and the aggregated `DynamoDB` built on it.
 *
 * Every setting the SDK would otherwise read from the environment or from the shared config files
 * (~/.aws/config, ~/.aws/credentials) is given explicitly, so constructing a client and its first
 * `send()` do no I/O: in virtual time a pending file read would race the clock (your-app.md, "Real
 * I/O inside virtual code"), and the machine's AWS profile must not change a run.
 */
import { unsignedSigV4 } from '../../dynamodb/sdk-request-handler.js';
import { timeoutSettingsOf, withClientTimeouts } from './client-timeouts.js';
import { commandClasses, HandlerCache } from './handler-cache.js';
import type { RegionServices } from './types.js';

/** Credentials every facade client signs with; the in-process endpoint does not check them. */
export const MODEL_CREDENTIALS = { accessKeyId: 'GEOSIMMODELKEY', secretAccessKey: 'geosim-model-secret' } as const;

/**
 * The SDK's own defaults for DynamoDB (client-dynamodb 3.1169, no AWS_* variables, no config file):
 * 4 attempts (its runtime config's `default: 4`), `standard` retries, `legacy` defaults mode.
 * A setting the team's code passes wins, as it would on Lambda.
 */
const SDK_DEFAULTS = { maxAttempts: 4, retryMode: 'standard', defaultsMode: 'legacy' } as const;

type ClientConfig = Record<string, unknown>;
type ClientClass = new (config?: ClientConfig) => object;
/** What the facade reads of the SDK's Client (@smithy/core's). */
interface SdkClient {
  middlewareStack: Record<string, unknown>;
  config: object;
  send(command: unknown, optionsOrCallback?: unknown, callback?: unknown): unknown;
}

/** The settings a facade client is constructed with, from what the team's code passed. */
export function forcedDynamoDbConfig(config: ClientConfig | undefined, services: RegionServices): ClientConfig {
  const given = config ?? {};
  // One Lambda function per region: a client talks to the replica of the instance's region, unless
  // the code names a region itself (a home-region design), as it would in production.
  const region = typeof given.region === 'string' && given.region !== '' ? given.region : services.region;
  const noValue = () => Promise.resolve(undefined);
  // Object.assign over a spread: see lambdaEnvironment (process-view.ts).
  // A fresh object per client: the SDK marks the credentials it is given.
  const credentials = { ...MODEL_CREDENTIALS };
  const forced: ClientConfig = Object.assign({}, given, {
    region,
    credentials,
    credentialDefaultProvider: () => () => Promise.resolve(credentials),
    // Requests are not signed: nothing in-process checks a signature, and SigV4 (hashing the body,
    // two HMACs) is the largest cost a setting can take off each call. The region travels in the
    // request's host (the endpoint below), which the run's handler routes by.
    httpAuthSchemes: [unsignedSigV4(credentials)],
    requestHandler: requestHandlerFor(given.requestHandler, services),
    // The address the SDK would resolve; explicit, so no endpoint rule reads FIPS/dual-stack settings.
    endpoint: `https://dynamodb.${region}.amazonaws.com`,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    accountIdEndpointMode: 'disabled',
    authSchemePreference: [],
    endpointDiscoveryEnabledProvider: () => Promise.resolve(false),
    maxAttempts: given.maxAttempts ?? SDK_DEFAULTS.maxAttempts,
    retryMode: given.retryMode ?? SDK_DEFAULTS.retryMode,
    defaultsMode: given.defaultsMode ?? SDK_DEFAULTS.defaultsMode,
    userAgentAppId: given.userAgentAppId ?? noValue,
  });
  // A named profile would send the SDK to the shared config files.
  delete forced.profile;
  return forced;
}

/** The run's request handler, with the timeouts of the handler the code gave, if it gave one with any (client-timeouts.ts). */
function requestHandlerFor(given: unknown, services: RegionServices): RegionServices['dynamodbRequestHandler'] {
  const run = services.dynamodbRequestHandler;
  const settings = timeoutSettingsOf(given);
  if (settings === undefined) return run;
  return Object.assign(Object.create(run) as object, { handle: withClientTimeouts(run.handle.bind(run) as never, settings, services.console ?? console) }) as RegionServices['dynamodbRequestHandler'];
}

/** The real package's exports with its `DynamoDBClient` bound to `services`. */
export function dynamoDbFacade(real: Record<string, unknown>, services: RegionServices): Record<string, unknown> {
  const Base = real.DynamoDBClient as ClientClass;
  // Named like the SDK's class, so logs and `constructor.name` read as in production.
  const cacheable = commandClasses(real);
  const DynamoDBClient = class DynamoDBClient extends Base {
    readonly #handlers = new HandlerCache(cacheable);
    constructor(config?: ClientConfig) {
      super(forcedDynamoDbConfig(config, services));
      withFastProperties((this as unknown as SdkClient).config);
    }

    // The chain of middleware built once per command class (handler-cache.ts): the SDK's cost per call drops by ~40%.
    send(command: unknown, optionsOrCallback?: unknown, callback?: unknown): unknown {
      const cached = optionsOrCallback === undefined && callback === undefined ? this.#handlers.send(this as unknown as SdkClient, command) : undefined;
      return cached ?? (Base.prototype as unknown as SdkClient).send.call(this, command, optionsOrCallback, callback);
    }
  };
  // The real exports stay on the prototype (no copy of its ~500 names per instance): esbuild's
  // interop reads named imports as properties and builds namespaces on the module's prototype.
  return Object.assign(Object.create(real) as Record<string, unknown>, { DynamoDBClient, DynamoDB: aggregatedClient(real, DynamoDBClient) });
}

/**
 * The package's aggregated client, `DynamoDB` (`new DynamoDB({}).putItem(...)`, often wrapped in
 * `DynamoDBDocument.from`), on the facade's `DynamoDBClient`. The package's own extends its real
 * `DynamoDBClient`, which would send requests to AWS over the network (the package is loaded
 * outside the handler's module, where no network is refused). Its methods (one per command,
 * paginators, waiters) only call `this.send`: copied onto a subclass of the facade's client.
 */
function aggregatedClient(real: Record<string, unknown>, Client: ClientClass): ClientClass {
  const DynamoDB = class DynamoDB extends Client {};
  const methods = (real.DynamoDB as ClientClass | undefined)?.prototype;
  if (methods !== undefined) {
    for (const name of Object.getOwnPropertyNames(methods)) {
      if (name !== 'constructor') Object.defineProperty(DynamoDB.prototype, name, Object.getOwnPropertyDescriptor(methods, name)!);
    }
  }
  return DynamoDB;
}

/**
 * Asks V8 to store `object`'s properties in fast mode again, in place (the same object: the SDK's
 * middleware and a DocumentClient hold it). The SDK leaves a client's `config` (~50 properties, one
 * an accessor) in dictionary mode, and its middleware copy it with `{ ...config, ...context }`
 * three times per request: from a dictionary that copy costs ~6x more, ~15% of a `send()` here
 * (Node 20 and 24). V8 makes an object fast when a property load through an object that has it as
 * prototype misses its inline cache; the load function needs its feedback first (V8 allocates it
 * after ~8 calls), hence the few calls. Only the representation changes: no property, value or
 * prototype of `object` does (test/app/user-module/dynamodb-facade-speed.test.ts checks both).
 */
export function withFastProperties(object: object): void {
  const heir = Object.create(object) as { region?: unknown };
  for (let i = 0; i < 16; i++) readRegion(heir);
}

function readRegion(o: { region?: unknown }): unknown {
  return o.region;
}
