import { canonicalItem, type AttributeValue, type Item } from '../../app/item.js';
import { DynamoDBError } from '../../dynamodb/errors.js';
import { toPlainItem } from '../../dynamodb/plain.js';
import type { AttributeMap } from '../../dynamodb/values.js';
import type { ApiRequest, Step } from '../../scenario/model.js';
import { stepPath, type TraceEventInput } from '../../trace/events.js';
import { queryLabel, readRequest } from '../../trace/read-request.js';
import type { AssertionResult } from '../../trace/report.js';
import type { StepChecks } from './step-checks.js';

/** A step in DynamoDB's own syntax (issue 11 item 8). */
export type RequestStep = Extract<Step, { kind: 'request' }>;

/**
 * What runs a DynamoDB request in a region (Substrate.send): the JSON 1.0 request and response
 * shapes; it throws DynamoDBError and traces the writes itself.
 */
export interface DynamoDBCaller {
  send(region: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface RequestStepContext {
  caller: DynamoDBCaller;
  now(): number;
  emit(event: TraceEventInput): void;
  /** Tags the writes a step causes (`steps[N]`, stepPath) in the trace. */
  setCause(cause: string | undefined): void;
  assertions: AssertionResult[];
  /** How a step's expectation is judged (src/check, handed in by the run pipeline). */
  checks: StepChecks;
}

/**
 * Sends one request written in DynamoDB syntax. A write's effects (and its refusal: a failed
 * condition, a ValidationException for what the item holds) are traced by the caller; the run goes
 * on either way. A read or query is traced here as a `read` and, with `expect`, checked like the
 * short form's read.
 */
export async function performRequestStep(step: RequestStep, ctx: RequestStepContext): Promise<void> {
  const { request, region } = step;
  if (request.operation !== 'GetItem' && request.operation !== 'Query') {
    ctx.setCause(stepPath(step.index));
    try {
      await ctx.caller.send(region, request.operation, request.input);
    } catch (error) {
      if (!(error instanceof DynamoDBError)) throw error;
    } finally {
      ctx.setCause(undefined);
    }
    return;
  }
  const asked = ctx.now();
  let answer: Record<string, unknown> | DynamoDBError;
  try {
    answer = request.operation === 'Query' ? await queryAll(ctx.caller, region, request.input) : await ctx.caller.send(region, 'GetItem', request.input);
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    answer = error;
  }
  // traced when its answer came (an MRSC strong read's takes a round trip), in the trace's time order
  const t = ctx.now();
  const askedAt = t > asked ? { askedAt: asked } : {};
  const consistency = request.input.ConsistentRead === true ? 'strong' : 'eventual';
  const label = requestLabel(request);
  const name = requestAssertionName(step);
  const failed = answer instanceof DynamoDBError ? { error: { name: answer.name, message: answer.message } } : {};
  if (request.operation === 'GetItem') {
    const item = answer instanceof DynamoDBError || answer.Item === undefined ? undefined : plainItem(answer.Item as AttributeMap);
    ctx.emit({ kind: 'read', t, region, itemId: label, consistency, item: item ?? null, request: readRequest(request.operation, request.input), ...failed, ...askedAt });
    const expect = request.expect as { item: Item | null } | undefined;
    if (expect !== undefined) {
      const result = ctx.checks.read(name, expect.item, item, t);
      ctx.assertions.push(answer instanceof DynamoDBError ? { ...result, passed: false, actual: answer.name, detail: answer.message } : result);
    }
    return;
  }
  const items = answer instanceof DynamoDBError ? [] : (answer.Items as AttributeMap[]).map(plainItem);
  ctx.emit({ kind: 'read', t, region, itemId: label, consistency, item: null, items, request: readRequest(request.operation, request.input), ...failed, ...askedAt });
  const expect = request.expect as { count?: number; items?: Array<Record<string, AttributeValue>> } | undefined;
  if (expect === undefined) return;
  if (answer instanceof DynamoDBError) {
    ctx.assertions.push({ name, source: 'step', passed: false, expected: expect, actual: answer.name, at: t, detail: answer.message });
    return;
  }
  if (expect.count !== undefined) ctx.assertions.push({ name: `${name} count`, source: 'step', passed: items.length === expect.count, expected: expect.count, actual: items.length, at: t });
  if (expect.items !== undefined) {
    const passed = items.length === expect.items.length && expect.items.every((e, i) => ctx.checks.matchesSubset(e, items[i]!));
    ctx.assertions.push({ name: `${name} items`, source: 'step', passed, expected: expect.items, actual: items, at: t });
  }
}

/**
 * Every page of a query (following LastEvaluatedKey), or the one page `Limit` asks for: a step
 * with `limit` sees what one request returns, without it everything that matches.
 */
async function queryAll(caller: DynamoDBCaller, region: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const items: unknown[] = [];
  let request = input;
  for (;;) {
    const page = await caller.send(region, 'Query', request);
    items.push(...((page.Items as unknown[] | undefined) ?? []));
    if (input.Limit !== undefined || page.LastEvaluatedKey === undefined) return { ...page, Items: items };
    request = { ...input, ExclusiveStartKey: page.LastEvaluatedKey };
  }
}

/**
 * An answer's item in geosim's canonical attribute order: the model answers a projection in its
 * order, DynamoDB in its own, and a read's `actual` must be the same bytes on every backend.
 */
function plainItem(item: AttributeMap): Item {
  return canonicalItem(toPlainItem(item) as unknown as Item);
}

/**
 * What a read or query step's assertion is called, whether the region answered or was down:
 * `read us-east-1 ORDER#1 (eventual)`, `query us-east-1 IdempotencyKey = k-1 (strong)`.
 */
export function requestAssertionName(step: RequestStep): string {
  const consistency = step.request.input.ConsistentRead === true ? 'strong' : 'eventual';
  return `${step.request.operation === 'Query' ? 'query' : 'read'} ${step.region} ${requestLabel(step.request)} (${consistency})`;
}

/** How the trace and the assertion name the item or query: the key's value, or the key condition. */
function requestLabel(request: ApiRequest): string {
  if (request.operation === 'Query') return queryLabel(request.input);
  const key = toPlainItem(request.input.Key as AttributeMap);
  const values = Object.values(key);
  return values.length === 1 && typeof values[0] === 'string' ? values[0] : JSON.stringify(key);
}

