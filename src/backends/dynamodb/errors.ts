import { EnvironmentError } from '../../cli/errors.js';

/** Where a failed request went, for a one-line message that names the cause. */
export interface RequestContext {
  operation: string;
  region: string;
  tableName?: string;
  /** Custom endpoint URL; absent for real AWS. */
  endpoint?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/**
 * Turns an AWS SDK failure into an EnvironmentError (exit 3, one line, no stack) when the cause is
 * the environment: unreachable endpoint, missing or rejected credentials, missing table, an
 * operation the server lacks, or throttling that outlasted the retries. Anything else (a
 * ValidationException means geosim sent a bad request) is returned unchanged: that is a bug.
 */
export function mapAwsError(error: unknown, ctx: RequestContext): Error {
  if (error instanceof EnvironmentError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const name = error.name;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const where = ctx.endpoint !== undefined ? `${ctx.endpoint} (region ${ctx.region})` : `AWS region ${ctx.region}`;
  const table = ctx.tableName !== undefined ? `table ${ctx.tableName}` : 'DynamoDB';

  if (name === 'ResourceNotFoundException') {
    return new EnvironmentError(`${table} not found at ${where}: create it first, or use --local to let geosim create its own tables`, { cause: error });
  }
  if (name === 'UnknownOperationException' || /unknown ?operation/i.test(error.message)) {
    return new EnvironmentError(`the server at ${where} does not support ${ctx.operation}: use AWS DynamoDB or DynamoDB Local (--local), not a partial emulator`, { cause: error });
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(error.message)) {
    return new EnvironmentError(`no AWS credentials for ${where}: pass --profile NAME or set AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`, { cause: error });
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || name === 'ExpiredTokenException' || name === 'AccessDeniedException') {
    return new EnvironmentError(`${where} rejected the credentials for ${ctx.operation} on ${table} (${name}): check --profile or the AWS_* environment`, { cause: error });
  }
  if (THROTTLING.has(name)) {
    return new EnvironmentError(`${ctx.operation} on ${table} at ${where} was still throttled after the SDK's retries (${name}): raise capacity or slow the scenario (--time-scale)`, { cause: error });
  }
  if ((code !== undefined && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new EnvironmentError(`cannot reach DynamoDB at ${where} (${code ?? name}): check --endpoint, or that the server is running`, { cause: error });
  }
  return error;
}
