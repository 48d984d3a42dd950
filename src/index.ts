/**
 * geosim as a library: the model's DynamoDB API behind the AWS SDK v3 (in-process, no socket) or
 * over HTTP on 127.0.0.1. Each `ModelEndpoint` is one region's database; replication between
 * regions (global tables) is not wired to these endpoints yet.
 *
 * @example
 * ```ts
 * import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
 * import { createInProcessRequestHandler, ModelEndpoint, type DynamoDBEndpoint } from 'geosim';
 *
 * const now = () => 0; // the run's clock, in ms
 * const usEast1 = new ModelEndpoint({ now, region: 'us-east-1' });
 * const euWest1 = new ModelEndpoint({ now, region: 'eu-west-1' });
 * const endpoints = new Map<string, DynamoDBEndpoint>([['us-east-1', usEast1], ['eu-west-1', euWest1]]);
 * const requestHandler = createInProcessRequestHandler({ endpointFor: (region) => endpoints.get(region)! });
 * const client = new DynamoDBClient({ region: 'us-east-1', requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await client.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-1' } } }));
 * ```
 */
export type { DynamoDBEndpoint, EndpointResolver } from './dynamodb/endpoint.js';
export { DynamoDBError, DYNAMODB_ERROR_NAMES, validation, type DynamoDBErrorName } from './dynamodb/errors.js';
export type { AttributeMap, AttributeType, AttributeValue, Item } from './dynamodb/values.js';
export { createInProcessRequestHandler, type InProcessHandlerOptions, type InProcessRequestHandler } from './dynamodb/sdk-request-handler.js';
export { startDynamoDBHttpServer, MAX_REQUEST_BYTES, type DynamoDBHttpServer, type HttpServerOptions } from './dynamodb/http-server.js';
export { ModelEndpoint, type ModelEndpointOptions } from './dynamodb/model-endpoint.js';
