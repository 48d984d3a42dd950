import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** A DynamoDB-compatible endpoint (DynamoDB Local); absent for real AWS. */
  endpoint?: string;
  /** Named profile from the shared AWS config files; absent = the default credential chain. */
  profile?: string;
  /** DynamoDB Local accepts any credentials; it keeps one database per access key and region. */
  localCredentials?: boolean;
}

/** Access key DynamoDB Local sees; with the region it names the database a table lives in. */
export const LOCAL_ACCESS_KEY = 'geosim';

/**
 * A client with geosim's retry policy: the SDK's `adaptive` mode (standard exponential backoff with
 * jitter, plus client-side rate limiting once throttled) and 6 attempts. It retries throttling and
 * transient network errors; conditional-check failures and transaction cancellations are answers,
 * not errors, and are never retried by the SDK. A connect timeout keeps an unreachable endpoint
 * from hanging the run.
 */
export function createDynamoClient(options: DynamoClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.localCredentials === true ? { credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_ACCESS_KEY } } : {}),
    retryMode: 'adaptive',
    maxAttempts: 6,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
  });
}
