import { EnvironmentError } from '../../errors.js';
import { REQUEST_ATTEMPTS } from './client.js';

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
 * An endpoint URL as messages show it: `user:password@` becomes `***@`, so a secret written
 * into `--endpoint` never reaches a terminal or a CI log.
 */
export function redactEndpoint(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

/** DynamoDB's text with the emulation's hidden attribute names (`aws:rep:*`) replaced: they are geosim's, not the user's. */
export function redactHidden(text: string): string {
  return text.replace(/aws:rep:[A-Za-z0-9_]+/g, '(a geosim replication attribute)');
}

/**
 * A server whose answer parsed but is not what DynamoDB answers (`{"Table": 5}`): exit 3 at once,
 * rather than waiting for a table that such a server will never describe.
 */
export function notLikeDynamoDb(ctx: RequestContext, what: string): EnvironmentError {
  return new EnvironmentError(`the server at ${whereOf(ctx)} does not answer like DynamoDB (${ctx.operation} got ${what}): check --endpoint`);
}

function whereOf(ctx: RequestContext): string {
  return ctx.endpoint !== undefined ? `${redactEndpoint(ctx.endpoint)} (region ${ctx.region})` : `AWS region ${ctx.region}`;
}

/**
 * Turns an AWS SDK failure into an EnvironmentError (exit 3, one line, no stack): unreachable
 * endpoint, a server that never answers or does not speak DynamoDB, missing or rejected
 * credentials, missing table, an operation the server lacks, throttling that outlasted the
 * retries, and any other exception DynamoDB answered that geosim did not expect (named, with
 * DynamoDB's message). Only an error that did not come from the SDK (a bug) is returned unchanged.
 */
export function mapAwsError(error: unknown, ctx: RequestContext): Error {
  if (error instanceof EnvironmentError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const name = error.name;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const where = whereOf(ctx);
  const table = ctx.tableName !== undefined ? `table ${ctx.tableName}` : 'DynamoDB';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const fromSdk = '$metadata' in error || '$response' in error || '$fault' in error;

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
  if (name === 'TimeoutError' || name === 'RequestTimeout' || code === 'ETIMEDOUT') {
    return new EnvironmentError(`DynamoDB at ${where} did not answer ${ctx.operation} in time (${REQUEST_ATTEMPTS} attempts, each limited by --request-timeout, default 10s): check --endpoint, or raise --request-timeout`, { cause: error });
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new EnvironmentError(`cannot reach DynamoDB at ${where} (${code}): check --endpoint, or that the server is running`, { cause: error });
  }
  if (fromSdk && (name === 'SyntaxError' || name === 'Unknown' || name === 'UnknownError' || /Deserialization error/.test(error.message))) {
    return new EnvironmentError(`the server at ${where} does not answer like DynamoDB (${ctx.operation} got HTTP ${status ?? '?'} ${name === 'SyntaxError' ? 'that is not DynamoDB JSON' : 'with no DynamoDB error'}): check --endpoint`, { cause: error });
  }
  if (fromSdk) {
    const reasons = ((error as { CancellationReasons?: Array<{ Code?: string; Message?: string }> }).CancellationReasons ?? [])
      .filter((r) => r.Code !== undefined && r.Code !== 'None')
      .map((r) => `${r.Code}${r.Message ? ` (${r.Message})` : ''}`);
    const message = redactHidden(reasons.length > 0 ? `${firstLine(error.message).replace(/ \[.*$/, '')}: ${reasons.join(', ')}` : firstLine(error.message));
    return new EnvironmentError(`DynamoDB at ${where} refused ${ctx.operation} on ${table}: ${name}: ${message}`, { cause: error });
  }
  return error;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
