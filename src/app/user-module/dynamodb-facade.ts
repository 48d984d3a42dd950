/**
 * `@aws-sdk/client-dynamodb` as a handler module sees it: the real package, with `DynamoDBClient`
 * replaced by a subclass bound to one region's replica.
 *
 * Every setting the SDK would otherwise read from the environment or from the shared config files
 * (~/.aws/config, ~/.aws/credentials) is given explicitly, so constructing a client and its first
 * `send()` do no I/O: in virtual time a pending file read would race the clock (your-app.md, "Real
 * I/O inside virtual code"), and the machine's AWS profile must not change a run.
 */
import { unsignedSigV4 } from '../../dynamodb/sdk-request-handler.js';
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
    requestHandler: services.dynamodbRequestHandler,
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

/** The real package's exports with its `DynamoDBClient` bound to `services`. */
export function dynamoDbFacade(real: Record<string, unknown>, services: RegionServices): Record<string, unknown> {
  const Base = real.DynamoDBClient as ClientClass;
  // Named like the SDK's class, so logs and `constructor.name` read as in production.
  const DynamoDBClient = class DynamoDBClient extends Base {
    constructor(config?: ClientConfig) {
      super(forcedDynamoDbConfig(config, services));
    }
  };
  // The real exports stay on the prototype (no copy of its ~500 names per instance): esbuild's
  // interop reads named imports as properties and builds namespaces on the module's prototype.
  return Object.assign(Object.create(real) as Record<string, unknown>, { DynamoDBClient });
}
