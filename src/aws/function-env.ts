import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoTablePort } from '../backends/dynamodb/table-port.js';

/**
 * Configuration shared by the Lambda handlers (src/aws/handler.ts, src/aws/repair-handler.ts):
 * reading the function's environment and reaching the table replica in a Region.
 */
export type FunctionEnv = Record<string, string | undefined>;

export function required(env: FunctionEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set in the function's environment`);
  return value;
}

export function oneOf<T extends string>(env: FunctionEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name}=${value} is not one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Table ports by Region for TABLE_NAME, one DynamoDB client per Region (made from the environment
 * unless `client` supplies one). DYNAMODB_ENDPOINT points the clients at DynamoDB Local in tests.
 */
export function tablePorts(env: FunctionEnv, client?: (region: string) => DynamoDBClient): (region: string) => DynamoTablePort {
  const tableName = required(env, 'TABLE_NAME');
  const endpoint = env['DYNAMODB_ENDPOINT'];
  const clients = new Map<string, DynamoDBClient>();
  const clientFor = (r: string) => {
    let c = clients.get(r);
    if (!c) {
      c = client?.(r) ?? new DynamoDBClient({ region: r, ...(endpoint ? { endpoint } : {}), retryMode: 'adaptive', maxAttempts: 6 });
      clients.set(r, c);
    }
    return c;
  };
  return (r) => new DynamoTablePort({ client: clientFor(r), tableName, region: r });
}
