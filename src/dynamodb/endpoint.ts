/**
 * The one thing the wire layer needs from a region's database: "request in, response or DynamoDB
 * error out". The model's replicas implement it (a later stage); the in-process SDK handler and the
 * HTTP server only speak the protocol around it.
 */
export interface DynamoDBEndpoint {
  /**
   * Runs one operation of the DynamoDB (or DynamoDB Streams) API.
   *
   * @param operation the operation name as in `X-Amz-Target` after the dot, e.g. `GetItem`,
   *   `GetRecords`. An operation the endpoint does not serve throws
   *   `DynamoDBError('UnknownOperationException', 'An unknown operation was requested.')`.
   * @param input the request body, parsed JSON (attribute values in the wire shape).
   * @returns the response body (JSON-serialisable).
   * @throws DynamoDBError for everything DynamoDB answers with an error.
   */
  handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Picks the endpoint of a region; may throw a DynamoDBError for a region it does not serve. */
export type EndpointResolver = (region: string) => DynamoDBEndpoint;
