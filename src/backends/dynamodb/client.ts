import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

export interface DynamoClientOptions {
  region: string;
  /** A DynamoDB-compatible endpoint (DynamoDB Local); absent for real AWS. */
  endpoint?: string;
  /** Named profile from the shared AWS config files; absent = the default credential chain. */
  profile?: string;
  /** DynamoDB Local accepts any credentials; it keeps one database per access key and region. */
  localCredentials?: boolean;
  /** Wall ms one attempt of a request may take before it fails (`--request-timeout`); default `DEFAULT_REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number;
}

/** Access key DynamoDB Local sees; with the region it names the database a table lives in. */
export const LOCAL_ACCESS_KEY = 'geosim';

/** Default of `--request-timeout`: no DynamoDB request geosim sends takes longer when the server is well. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Attempts of every request (the first and two retries), so a server that never answers fails within about 3 × the request timeout. */
export const REQUEST_ATTEMPTS = 3;
/** Wall ms to open a connection. */
export const CONNECTION_TIMEOUT_MS = 3_000;

/**
 * The SDK's own logger would print warnings geosim says better in one line (e.g. the 9-line
 * "Multiple credential sources detected" when `--profile` meets keys in the environment).
 */
const SILENT_LOGGER = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * geosim's client settings, shared by the table and stream clients: the SDK's `adaptive` retry
 * mode (standard exponential backoff with jitter, plus client-side rate limiting once throttled)
 * and `REQUEST_ATTEMPTS` attempts, each bounded by a connection timeout and a request timeout that
 * fails the attempt (the SDK alone only warns), so a server that accepts connections and never
 * answers cannot hang the run. Conditional-check failures and transaction cancellations are
 * answers, not errors, and are never retried by the SDK.
 */
function clientConfig(options: DynamoClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.localCredentials === true ? { credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_ACCESS_KEY } } : {}),
    retryMode: 'adaptive',
    maxAttempts: REQUEST_ATTEMPTS,
    logger: SILENT_LOGGER,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

export function createDynamoClient(options: DynamoClientOptions): DynamoDBClient {
  return new DynamoDBClient(clientConfig(options));
}

export function createStreamsClient(options: DynamoClientOptions): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient(clientConfig(options));
}
