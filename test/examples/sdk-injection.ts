/**
 * Test-only wiring of examples/ to geosim's in-process model, standing in for the runner's loader
 * (issue 13 part S) until it exists. A test file hoists
 *
 *   vi.mock('@aws-sdk/client-dynamodb', () => mockDynamoDbClient(injection));
 *
 * so every `new DynamoDBClient(...)` evaluated in a module the test imports (the handler's
 * module-scope client among them) is a subclass of the real client whose requests go to
 * `injection.requestHandler` (a GlobalTables model's), for the region the config names or else
 * the `AWS_REGION` of the moment the client is constructed. `instanceFor` imports a fresh copy
 * of a module with `AWS_REGION` set: one execution environment per region, as Lambda has.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { vi } from 'vitest';
import type { InProcessRequestHandler } from '../../src/dynamodb/sdk-request-handler.js';

export interface Injection {
  requestHandler: InProcessRequestHandler | undefined;
}

export async function mockDynamoDbClient(injection: Injection): Promise<typeof import('@aws-sdk/client-dynamodb')> {
  const real = await vi.importActual<typeof import('@aws-sdk/client-dynamodb')>('@aws-sdk/client-dynamodb');
  class DynamoDBClient extends real.DynamoDBClient {
    constructor(config: DynamoDBClientConfig = {}) {
      if (injection.requestHandler === undefined) throw new Error('test wiring: set injection.requestHandler before importing the module under test');
      // region fixed now (the SDK would otherwise read AWS_REGION at the first send, whichever region's turn that is)
      super({ ...config, region: config.region ?? process.env['AWS_REGION'], requestHandler: injection.requestHandler, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    }
  }
  return { ...real, DynamoDBClient };
}

/** A fresh evaluation of `load`'s module with `AWS_REGION` = `region` and `env` set meanwhile. */
export async function instanceFor<T>(region: string, env: Record<string, string>, load: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env, { AWS_REGION: region });
  try {
    vi.resetModules();
    return await load();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/**
 * Powertools' persistence layer creates its own DynamoDBClient inside node_modules, where vi.mock
 * does not reach (vitest loads dependencies natively). This stand-in hands it the mocked client
 * through its documented `awsSdkV3Client` option, so the handler keeps the usual
 * `new DynamoDBPersistenceLayer({ tableName })`. The runner's loader bundles Powertools with the
 * handler and needs no such step.
 */
export async function mockPowertoolsDynamoDb(): Promise<typeof import('@aws-lambda-powertools/idempotency/dynamodb')> {
  const real = await vi.importActual<typeof import('@aws-lambda-powertools/idempotency/dynamodb')>('@aws-lambda-powertools/idempotency/dynamodb');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb'); // the mocked one
  type Config = ConstructorParameters<typeof real.DynamoDBPersistenceLayer>[0];
  class DynamoDBPersistenceLayer extends real.DynamoDBPersistenceLayer {
    constructor(config: Config) {
      super({ ...config, awsSdkV3Client: 'awsSdkV3Client' in config && config.awsSdkV3Client !== undefined ? config.awsSdkV3Client : new DynamoDBClient({}) } as Config);
    }
  }
  return { ...real, DynamoDBPersistenceLayer };
}
