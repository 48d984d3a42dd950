/**
 * DynamoDB's JSON 1.0 protocol, both directions, with no IO: an HTTP request (headers and body
 * bytes) becomes `{ operation, input, region }`, and an endpoint's result or DynamoDBError becomes
 * the HTTP response DynamoDB Local would send. The in-process SDK handler and the HTTP server share
 * it, so both answer byte for byte alike.
 *
 * What DynamoDB Local answers (probed on Local 2026-01-16; pinned in test/dynamodb/wire.test.ts):
 * - every response: `Content-Type: application/x-amz-json-1.0`, `x-amzn-RequestId`; a 200 also
 *   carries `x-amz-crc32` (CRC32 of the body bytes, unsigned decimal), an error does not;
 * - errors are `{"__type": "<prefix>#<Name>", "Message": "..."}` plus the exception's members
 *   (`Item`, `CancellationReasons`), always `Message` with a capital M; ValidationException's prefix
 *   is `com.amazon.coral.validate#`, the others' `com.amazonaws.dynamodb.v20120810#`;
 * - `X-Amz-Target: DynamoDB_20120810.Foo` (or `DynamoDBStreams_20120810.Foo`) → 400
 *   UnknownOperationException "An unknown operation was requested."; another service prefix →
 *   400 InvalidAction; no Authorization and no target (a bare `GET /`) → 400
 *   MissingAuthenticationToken; method, path and Content-Type are not checked.
 * Where Local answers a client's mistake with its own 500 InternalFailure (a body that is not a JSON
 * object, a missing target), geosim answers as the service does: 400 SerializationException /
 * UnknownOperationException, so a client does not retry its own mistake. A request without
 * Authorization but with a target goes to the default region (Local refuses it) so that `curl` works.
 */
import { crc32 } from 'node:zlib';
import type { DynamoDBEndpoint, EndpointResolver } from './endpoint.js';
import { DynamoDBError, ERROR_TYPE_PREFIX } from './errors.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
/** The `X-Amz-Target` prefixes of the two APIs a region serves. */
export const TARGET_PREFIXES = ['DynamoDB_20120810', 'DynamoDBStreams_20120810'] as const;
/** The DynamoDB Streams API's operations (`DynamoDBStreams_20120810.*`); every other operation is DynamoDB's. */
const STREAMS_OPERATIONS: ReadonlySet<string> = new Set(['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords']);
export type ApiName = (typeof TARGET_PREFIXES)[number];

/** Header names are matched case-insensitively; the lookup lower-cases the name. */
export type WireHeaders = Record<string, string | readonly string[] | undefined>;

export interface WireRequest {
  headers: WireHeaders;
  /** The body as sent: bytes, or the string the SDK builds before sending. */
  body: Uint8Array | string | undefined;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** One call of the API, ready for `endpoint.handle(operation, input)`. */
export interface ApiCall {
  api: ApiName;
  operation: string;
  input: Record<string, unknown>;
  region: string;
}

/** A request the protocol itself rejects, before any endpoint sees it (`__type` is complete). */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const INTERNAL_FAILURE = new ProtocolError(
  500,
  `${ERROR_TYPE_PREFIX}InternalFailure`,
  'The request processing has failed because of an unknown error, exception or failure.',
);

/** The `__type` DynamoDB Local sends for an exception name. */
export function errorType(name: string): string {
  if (name === 'ValidationException') return 'com.amazon.coral.validate#ValidationException';
  if (name === 'SerializationException') return 'com.amazon.coral.service#SerializationException';
  return `${ERROR_TYPE_PREFIX}${name}`;
}

function header(headers: WireHeaders, name: string): string | undefined {
  const direct = headers[name];
  const value = direct !== undefined ? direct : findHeader(headers, name);
  return typeof value === 'string' ? value : value?.[0];
}

function findHeader(headers: WireHeaders, lowerName: string): string | readonly string[] | undefined {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lowerName) return headers[key];
  return undefined;
}

/**
 * The region of a SigV4 `Authorization` header: the third part of its credential scope
 * (`Credential=AKID/20240101/eu-west-1/dynamodb/aws4_request`). Undefined when there is none.
 */
export function regionOfAuthorization(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /Credential=([^,\s]+)/.exec(authorization);
  if (match === null) return undefined;
  const scope = match[1]!.split('/');
  return scope.length >= 5 && scope[2] !== '' ? scope[2] : undefined;
}

/**
 * Reads one request: the API and operation from `X-Amz-Target`, the input from the JSON body, the
 * region `fixedRegion` when given, else from the SigV4 credential scope (else `defaultRegion`).
 * Throws ProtocolError or DynamoDBError (SerializationException) with the answer DynamoDB gives.
 */
export function parseRequest(request: WireRequest, defaultRegion: string, fixedRegion?: string): ApiCall {
  const target = header(request.headers, 'x-amz-target');
  if (target === undefined || target === '') {
    if (header(request.headers, 'authorization') === undefined) {
      throw new ProtocolError(400, `${ERROR_TYPE_PREFIX}MissingAuthenticationToken`, 'Request must contain either a valid (registered) AWS access key ID or X.509 certificate.');
    }
    throw new DynamoDBError('UnknownOperationException', 'The request has no X-Amz-Target header: expected DynamoDB_20120810.<Operation>.');
  }
  const dot = target.indexOf('.');
  const prefix = dot < 0 ? target : target.slice(0, dot);
  const operation = dot < 0 ? '' : target.slice(dot + 1);
  const api = TARGET_PREFIXES.find((p) => p === prefix);
  if (api === undefined) {
    throw new ProtocolError(400, `${ERROR_TYPE_PREFIX}InvalidAction`, 'The action or operation requested is invalid. Verify that the action is typed correctly.');
  }
  // each API serves its own operations: DynamoDB answers GetItem sent as DynamoDBStreams_20120810.GetItem (and the reverse) as unknown
  if (operation === '' || STREAMS_OPERATIONS.has(operation) !== (api === 'DynamoDBStreams_20120810')) throw new DynamoDBError('UnknownOperationException', 'An unknown operation was requested.');
  const region = fixedRegion ?? regionOfAuthorization(header(request.headers, 'authorization')) ?? defaultRegion;
  return { api, operation, input: parseBody(request.body), region };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseBody(body: Uint8Array | string | undefined): Record<string, unknown> {
  let parsed: unknown;
  try {
    const text = typeof body === 'string' ? body : body === undefined ? '' : decoder.decode(body);
    parsed = JSON.parse(text);
  } catch {
    throw new DynamoDBError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DynamoDBError('SerializationException', 'The request body must be a JSON object.');
  }
  // DynamoDB's JSON protocol reads a request member sent as `null` as absent (`"ConditionExpression":
  // null` is no condition; the SDKs never send one). Only the request's own members: a null inside a
  // map (an Item's attribute) stays, for the operation to refuse as DynamoDB does.
  const input = parsed as Record<string, unknown>;
  for (const key of Object.keys(input)) if (input[key] === null) delete input[key];
  return input;
}

function respond(status: number, payload: unknown, requestId: string, withCrc: boolean): WireResponse {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const headers: Record<string, string> = {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'content-length': String(body.length),
  };
  if (withCrc) headers['x-amz-crc32'] = String(crc32(body));
  return { status, headers, body };
}

/** A 200 with the operation's output. */
export function successResponse(output: Record<string, unknown>, requestId: string): WireResponse {
  return respond(200, output, requestId, true);
}

/** The error response DynamoDB Local sends for a DynamoDBError or a ProtocolError. */
export function errorResponse(error: DynamoDBError | ProtocolError, requestId: string): WireResponse {
  if (error instanceof ProtocolError) return respond(error.status, { __type: error.type, Message: error.message }, requestId, false);
  return respond(error.status, { __type: errorType(error.name), Message: error.message, ...error.extra }, requestId, false);
}

/** The 500 for a failure that is not DynamoDB's answer (a bug behind the endpoint). */
export function internalFailureResponse(requestId: string): WireResponse {
  return errorResponse(INTERNAL_FAILURE, requestId);
}

export interface DispatchOptions {
  endpointFor: EndpointResolver;
  /** The region of a request without a SigV4 credential scope. */
  defaultRegion: string;
  /** Every request's region, the signature unread (see InProcessHandlerOptions.region). */
  region?: string;
  requestId: string;
}

/**
 * Parses, routes to the region's endpoint and answers. DynamoDB's errors become their responses;
 * anything else an endpoint throws is rethrown, so each edge decides (the in-process handler lets
 * the bug surface with its stack, the HTTP server answers InternalFailure).
 */
export async function dispatch(request: WireRequest, options: DispatchOptions): Promise<WireResponse> {
  let call: ApiCall;
  let endpoint: DynamoDBEndpoint;
  try {
    call = parseRequest(request, options.defaultRegion, options.region);
    endpoint = options.endpointFor(call.region);
  } catch (error) {
    if (error instanceof DynamoDBError || error instanceof ProtocolError) return errorResponse(error, options.requestId);
    throw error;
  }
  try {
    return successResponse(await endpoint.handle(call.operation, call.input), options.requestId);
  } catch (error) {
    if (error instanceof DynamoDBError) return errorResponse(error, options.requestId);
    throw error;
  }
}

/**
 * Request ids shaped like DynamoDB's (a UUID), counted rather than random so in-process runs stay
 * deterministic.
 */
export function requestIdSequence(): () => string {
  let n = 0;
  return () => {
    n++;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}
