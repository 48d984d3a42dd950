/**
 * geosim as a library: the model's DynamoDB API behind the AWS SDK v3 (in-process, no socket) or
 * over HTTP on 127.0.0.1. `GlobalTables` is the model of a global table's regions in virtual time
 * (replication with lag, last-writer-wins, per-item order); each `ModelEndpoint` is one region's
 * database on its own, without replication.
 *
 * @example
 * ```ts
 * import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
 * import { GlobalTables } from 'geosim';
 *
 * const model = new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], lag: 1000 });
 * const client = new DynamoDBClient({ region: 'us-east-1', requestHandler: model.requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await client.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'o-1' } } }));
 * await model.advance(1000); // eu-west-1 has it now
 * ```
 *
 * One region's database alone:
 * ```ts
 * import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
 * import { createInProcessRequestHandler, ModelEndpoint, type DynamoDBEndpoint } from 'geosim';
 *
 * const now = () => 0; // the run's clock, in ms
 * const usEast1 = new ModelEndpoint({ now, region: 'us-east-1' });
 * const euWest1 = new ModelEndpoint({ now, region: 'eu-west-1' });
 * const endpoints = new Map<string, DynamoDBEndpoint>([['us-east-1', usEast1], ['eu-west-1', euWest1]]);
 * const requestHandler = createInProcessRequestHandler({ endpointFor: (region) => endpoints.get(region)! });
 * const client = new DynamoDBClient({ region: 'us-east-1', requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * // an endpoint alone starts with no table (GlobalTables starts with GlobalEventTable)
 * await client.send(new CreateTableCommand({ TableName: 'Orders', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
 * await client.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-1' } } }));
 * ```
 */
export type { DynamoDBEndpoint, EndpointResolver } from './dynamodb/endpoint.js';
export { DynamoDBError, DYNAMODB_ERROR_NAMES, validation, type DynamoDBErrorName } from './dynamodb/errors.js';
export type { AttributeMap, AttributeType, AttributeValue, Item } from './dynamodb/values.js';
export { createInProcessRequestHandler, inProcessClientConfig, type InProcessHandlerOptions, type InProcessRequestHandler } from './dynamodb/sdk-request-handler.js';
export { startDynamoDBHttpServer, MAX_REQUEST_BYTES, type DynamoDBHttpServer, type HttpServerOptions } from './dynamodb/http-server.js';
export { ModelEndpoint, type ModelEndpointOptions } from './dynamodb/model-endpoint.js';
export { GlobalTables, type GlobalTablesOptions } from './sim/global-tables.js';
export { fromPlain, fromPlainItem, toPlain, toPlainItem, PlainValueError, type PlainItem, type PlainValue } from './dynamodb/plain.js';
export type { TraceEvent } from './trace/events.js';
export { run, ScenarioError, type LibraryRunOptions, type LibraryRunReport } from './pipeline/library-run.js';
/** A mistake of the caller's (a module that cannot load, an option out of range): its message says what and where; ScenarioError is one. */
export { UserError } from './errors.js';
export type { RunReport, AssertionResult } from './trace/report.js';
