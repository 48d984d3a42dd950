import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ModelEndpoint } from '../../../src/dynamodb/model-endpoint.js';
import { createInProcessRequestHandler } from '../../../src/dynamodb/sdk-request-handler.js';
import { createTableInput } from '../differential.js';

/** A model endpoint with table `Orders` (pk S, sk N, GSI ByG on g/sk), an SDK client and a DocumentClient over it. */
export async function setup(clock = { now: 0 }) {
  const endpoint = new ModelEndpoint({ now: () => clock.now });
  const client = new DynamoDBClient({ region: 'us-east-1', requestHandler: createInProcessRequestHandler({ endpointFor: () => endpoint }), credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await client.send(new CreateTableCommand(createTableInput('Orders')));
  return { endpoint, client, docs: DynamoDBDocumentClient.from(client), clock };
}

/** The rejection's name and message, as DynamoDB answers them. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; extra: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & Record<string, unknown>;
    return { name: e.name, message: e.message, extra: { Item: e.Item, CancellationReasons: e.CancellationReasons } };
  }
  throw new Error('expected a DynamoDB error');
}
