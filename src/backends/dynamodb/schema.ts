/** The seed's table schema (DESIGN §1, "The application patterns"), as DynamoDB names it. */
// The table's name is declared with the items a trace records (renderers name it without importing a backend).
export { DEFAULT_TABLE_NAME } from '../../trace/item.js';
export const IDEMPOTENCY_INDEX = 'IdempotencyIndex';
export const TTL_ATTRIBUTE = 'ExpiresAt';

/**
 * CreateTable of the scenario's table, as `infra/template.yaml` declares it: partition key `Id` (S),
 * the IdempotencyIndex GSI on `IdempotencyKey` (S), on demand. The stream and TTL are set by whoever
 * creates it (DynamoDB: a stream for replication; the model: streams only when asked).
 */
export function scenarioTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: 'Id', AttributeType: 'S' as const },
      { AttributeName: 'IdempotencyKey', AttributeType: 'S' as const },
    ],
    KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' as const }],
    GlobalSecondaryIndexes: [
      { IndexName: IDEMPOTENCY_INDEX, KeySchema: [{ AttributeName: 'IdempotencyKey', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } },
    ],
  };
}
