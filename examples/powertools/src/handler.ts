/**
 * A payment Lambda function made idempotent with Powertools for AWS Lambda, as its documentation
 * shows: `makeIdempotent` around the handler, a DynamoDB persistence layer on the service's table,
 * the event id as the idempotency key.
 *
 * Powertools keeps its records in the table of the region the function runs in. On a global table
 * that lock is region-local: a retry that reaches the other region before the first attempt's
 * record has replicated finds no record there, and the payment is captured twice.
 *
 * Table fit: GlobalEventTable's partition key is `Id`, so the persistence layer is told
 * `keyAttr: 'Id'` (Powertools' default is `id`). Its other attributes (`status`, `expiration`,
 * `in_progress_expiration`, `data`) are ordinary attributes; the table's TTL attribute is
 * `ExpiresAt`, so DynamoDB never deletes Powertools' records (Powertools checks `expiration`
 * itself). The records carry no `IdempotencyKey`, so they stay out of `IdempotencyIndex`.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';

const TABLE_NAME = process.env['TABLE_NAME'] ?? 'GlobalEventTable';

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: TABLE_NAME, keyAttr: 'Id' });
const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** A TMF688 envelope carrying a payment: `{ eventId, eventType, event: { payment: { id, account, amount } } }`. */
interface PaymentEvent {
  eventId: string;
  event: { payment?: { id?: string; account?: string; amount?: number } };
}

/** Captures a payment: one ledger entry per capture, and the account's balance reduced. */
async function capturePayment(event: PaymentEvent, context: Context): Promise<{ paymentId: string; captured: number; ledgerEntry: string }> {
  const payment = event.event.payment;
  if (payment?.id === undefined || payment.account === undefined || typeof payment.amount !== 'number') throw new Error(`event ${event.eventId}: event.payment needs id, account and amount`);
  // the payment provider's capture id; here the invocation's request id stands in for it
  const ledgerEntry = `LEDGER#${payment.id}#${context.awsRequestId}`;
  await docs.send(new PutCommand({ TableName: TABLE_NAME, Item: { Id: ledgerEntry, payment: payment.id, account: payment.account, amount: payment.amount, region: process.env['AWS_REGION'] } }));
  await docs.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: { Id: payment.account },
      UpdateExpression: 'ADD balance :debit, captures :one',
      ExpressionAttributeValues: { ':debit': -payment.amount, ':one': 1 },
    }),
  );
  return { paymentId: payment.id, captured: payment.amount, ledgerEntry };
}

export const handler = makeIdempotent(capturePayment, {
  persistenceStore,
  config: new IdempotencyConfig({ eventKeyJmesPath: 'eventId' }),
});
