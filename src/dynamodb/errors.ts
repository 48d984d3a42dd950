/**
 * DynamoDB's errors as values of the model's API: the exception name DynamoDB answers with (the
 * `__type` suffix on the wire), its message, and the extra members some exceptions carry
 * (`CancellationReasons` of TransactionCanceledException, `Item` of ConditionalCheckFailedException
 * when ReturnValuesOnConditionCheckFailure is ALL_OLD).
 */
export const DYNAMODB_ERROR_NAMES = [
  'ValidationException',
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'TransactionConflictException',
  'IdempotentParameterMismatchException',
  'ResourceNotFoundException',
  'ResourceInUseException',
  'ItemCollectionSizeLimitExceededException',
  'ProvisionedThroughputExceededException',
  'ReplicatedWriteConflictException',
  'UnknownOperationException',
  'ExpiredIteratorException',
  'TrimmedDataAccessException',
  'SerializationException',
  'MissingAuthenticationTokenException',
  'InternalServerError',
] as const;
export type DynamoDBErrorName = (typeof DYNAMODB_ERROR_NAMES)[number];

/** The `__type` prefix of DynamoDB's JSON errors (most exceptions; a few use `com.amazon.coral.*`). */
export const ERROR_TYPE_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

export class DynamoDBError extends Error {
  override readonly name: DynamoDBErrorName;

  constructor(
    name: DynamoDBErrorName,
    message: string,
    /** Extra members of the error body, e.g. `{ CancellationReasons: [...] }` or `{ Item: {...} }`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    // An answer of the API, not a fault: no stack. Capturing one (V8 walks every frame, the SDK's
    // and the agenda's included) cost more than the rest of a refused conditional write, and
    // nothing reads it: the wire layer turns the error into a response, the model's callers into
    // an outcome.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = name;
  }

  /** HTTP status DynamoDB answers with: 500 for InternalServerError, 400 otherwise. */
  get status(): number {
    return this.name === 'InternalServerError' ? 500 : 400;
  }
}

/** `ValidationException` with DynamoDB's message: the most common error of the API. */
export function validation(message: string): DynamoDBError {
  return new DynamoDBError('ValidationException', message);
}
