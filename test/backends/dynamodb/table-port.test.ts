import { afterAll, beforeAll } from 'vitest';
import { createDynamoClient } from '../../../src/backends/dynamodb/client.js';
import { dropCreatedTable, ensureTable } from '../../../src/backends/dynamodb/create-table.js';
import { DynamoTablePort } from '../../../src/backends/dynamodb/table-port.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';
import { describeTablePortContract } from '../../contract/table-port.contract.js';

let server: DynamoDbLocal;
beforeAll(async () => {
  server = await startDynamoDbLocal();
});
afterAll(async () => {
  await server?.stop();
});

describeTablePortContract('SDK v3 port on DynamoDB Local', async () => {
  const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
  const handle = await ensureTable(client, { tableName: 'ContractTable', region: 'us-east-1', endpoint: server.endpoint });
  const port = new DynamoTablePort({ client, tableName: handle.tableName, region: 'us-east-1', endpoint: server.endpoint });
  return {
    port,
    cleanup: async () => {
      await dropCreatedTable(handle);
      client.destroy();
    },
  };
});

describeTablePortContract('SDK v3 port on DynamoDB Local, stamping hidden replication attributes', async () => {
  const client = createDynamoClient({ region: 'eu-west-1', endpoint: server.endpoint, localCredentials: true });
  const handle = await ensureTable(client, { tableName: 'ContractTable', region: 'eu-west-1', endpoint: server.endpoint });
  let ts = 0;
  const port = new DynamoTablePort({
    client,
    tableName: handle.tableName,
    region: 'eu-west-1',
    endpoint: server.endpoint,
    stamp: () => ({ ts: ++ts, region: 'eu-west-1' }),
  });
  return {
    port,
    cleanup: async () => {
      await dropCreatedTable(handle);
      client.destroy();
    },
  };
});
