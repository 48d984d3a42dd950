/**
 * An order service Lambda function, deployed in every region of a DynamoDB global table.
 *
 * `handler` is what a team writes first: an idempotency record and the order created together in
 * one transaction, then the customer's totals item updated with `ADD`. On one table it is correct.
 * On a global table (multi-Region eventual consistency) it has two bugs:
 *  - two regions adding to the same totals item inside the replication window each compute their
 *    own sum, and last-writer-wins keeps one whole item: an increment is lost;
 *  - a retry that lands in the other region before the idempotency record has replicated is not
 *    recognised: the order is processed twice.
 * `fixedHandler` avoids both: the event is claimed in one home region (every retry races on the
 * same replica), and each region adds only to its own totals item, summed on read.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { type Order, OrderStore, type Totals } from './store.js';

const TABLE_NAME = process.env['TABLE_NAME'] ?? 'GlobalEventTable';
const REGION = process.env['AWS_REGION'] ?? 'us-east-1';
/** The region that holds every idempotency claim of `fixedHandler`. */
const HOME_REGION = process.env['HOME_REGION'] ?? 'us-east-1';
/** Every region of the global table, for summing the per-region totals. */
const REGIONS = (process.env['ORDER_REGIONS'] ?? REGION).split(',').map((r) => r.trim()).filter((r) => r !== '');

// Module scope: created once per execution environment and reused by every invocation.
const store = new OrderStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE_NAME, REGION);
const homeStore = new OrderStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: HOME_REGION })), TABLE_NAME, HOME_REGION);

/** The TMF688 event envelope the order service receives (TM Forum's `timeOcurred` spelling kept). */
export interface Envelope {
  eventId: string;
  eventType: string;
  eventTime?: string;
  timeOcurred?: string;
  correlationId?: string;
  event: Record<string, Record<string, unknown>>;
}

interface Delivery {
  /** The SQS message id, to report a failed record in `batchItemFailures`. */
  messageId?: string;
  /** Parses the envelope: a record that is not one fails alone, not its whole batch. */
  envelope: () => Envelope;
}

/**
 * The envelopes of one invocation, whichever way they arrived: an SQS batch (each record's body is
 * the JSON envelope), an API Gateway proxy request (its body), an EventBridge event (its `detail`),
 * or the envelope itself (direct invocation).
 */
export function deliveries(event: unknown): Delivery[] {
  const e = event as Record<string, unknown> | null;
  if (e !== null && typeof e === 'object') {
    if (Array.isArray(e['Records'])) return (e['Records'] as { messageId: string; body: string }[]).map((r) => ({ messageId: r.messageId, envelope: () => toEnvelope(JSON.parse(r.body)) }));
    if (typeof e['body'] === 'string') return [{ envelope: () => toEnvelope(JSON.parse(e['body'] as string)) }];
    if (typeof e['detail'] === 'object' && e['detail'] !== null) return [{ envelope: () => toEnvelope(e['detail']) }];
  }
  return [{ envelope: () => toEnvelope(event) }];
}

function toEnvelope(value: unknown): Envelope {
  const v = value as Partial<Envelope> | null;
  if (v === null || typeof v !== 'object' || typeof v.eventId !== 'string' || typeof v.eventType !== 'string' || typeof v.event !== 'object' || v.event === null) {
    throw new Error(`not an order event: ${JSON.stringify(value)}`);
  }
  return v as Envelope;
}

function orderOf(e: Envelope): Order {
  const body = e.event['order'];
  if (body === undefined || typeof body['id'] !== 'string' || typeof body['customerId'] !== 'string') throw new Error(`event ${e.eventId}: event.order needs id and customerId`);
  return { orderId: body['id'], customerId: body['customerId'], total: Number(body['total'] ?? 0), eventId: e.eventId, placedAt: e.eventTime ?? e.timeOcurred ?? '' };
}

type Outcome = 'created' | 'duplicate' | 'exists';

/** The first version: correct on a one-region table, not on a global table (see the top of this file). */
async function placeOrder(e: Envelope): Promise<Outcome> {
  if (e.eventType !== 'OrderPlaced') throw new Error(`event ${e.eventId}: unknown eventType ${e.eventType}`);
  const order = orderOf(e);
  const outcome = await store.createOrderOnce(order);
  if (outcome === 'created') await store.addToCustomerTotals(order.customerId, order.total);
  return outcome;
}

/** The fix: a claim in the home region, then the order and this region's totals in one transaction. */
async function placeOrderFixed(e: Envelope): Promise<Outcome> {
  if (e.eventType !== 'OrderPlaced') throw new Error(`event ${e.eventId}: unknown eventType ${e.eventType}`);
  const order = orderOf(e);
  if (!(await homeStore.claimEvent(e.eventId))) return 'duplicate';
  try {
    return await store.createOrderWithRegionalTotals(order);
  } catch (error) {
    // without this a crash after the claim would make every retry a "duplicate" of nothing
    await homeStore.releaseEvent(e.eventId);
    throw error;
  }
}

/** Runs each delivery; an SQS batch reports its failed records instead of failing the whole batch. */
async function handle(event: unknown, place: (e: Envelope) => Promise<Outcome>): Promise<unknown> {
  const batch = deliveries(event);
  if (batch[0]?.messageId === undefined) {
    const outcome = await place(batch[0]!.envelope());
    const e = event as Record<string, unknown>;
    // API Gateway expects a proxy response; a direct invoke gets the outcome itself
    return typeof e['body'] === 'string' ? { statusCode: outcome === 'exists' ? 409 : 200, body: JSON.stringify({ outcome }) } : { outcome };
  }
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const { messageId, envelope } of batch) {
    try {
      await place(envelope());
    } catch (error) {
      console.error(`SQS message ${messageId} failed:`, error);
      batchItemFailures.push({ itemIdentifier: messageId! });
    }
  }
  return { batchItemFailures };
}

export async function handler(event: unknown, _context?: Context): Promise<unknown> {
  return handle(event, placeOrder);
}

export async function fixedHandler(event: unknown, _context?: Context): Promise<unknown> {
  return handle(event, placeOrderFixed);
}

/** A customer's totals as `handler` keeps them (one item), read in this region. */
export function customerTotals(customerId: string): Promise<Totals> {
  return store.customerTotals(customerId);
}

/** A customer's totals as `fixedHandler` keeps them (one item per region, summed), read in this region. */
export function customerTotalsFixed(customerId: string): Promise<Totals> {
  return store.regionalTotals(customerId, REGIONS);
}
