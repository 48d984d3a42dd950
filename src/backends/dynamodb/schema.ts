/** The seed's table schema (DESIGN §1, "The application patterns"), as DynamoDB names it. */
export const DEFAULT_TABLE_NAME = 'GlobalEventTable';
export const IDEMPOTENCY_INDEX = 'IdempotencyIndex';
export const TTL_ATTRIBUTE = 'ExpiresAt';
