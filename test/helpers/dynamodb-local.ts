import { afterAll, beforeAll } from 'vitest';
import { checkJava, startDynamoDbLocal, type DynamoDbLocal } from '../../src/backends/dynamodb-local/server.js';

/**
 * Starts one DynamoDB Local for the enclosing `describe` (before its tests, stopped after them) and
 * returns a getter for it: `const local = useDynamoDbLocal(); … local().endpoint`.
 */
export function useDynamoDbLocal(): () => DynamoDbLocal {
  let server: DynamoDbLocal | undefined;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('DynamoDB Local did not start (see beforeAll)');
    return server;
  };
}

/** True when a Java 17+ runtime is installed (DynamoDB Local needs it; CI installs it). */
export function javaAvailable(): boolean {
  try {
    checkJava();
    return true;
  } catch {
    return false;
  }
}
