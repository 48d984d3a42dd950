/**
 * The order service's table access: one DynamoDB table (`Id` partition key) holding orders,
 * per-customer totals and idempotency records, through the DocumentClient.
 */
import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export interface Order {
  orderId: string;
  customerId: string;
  total: number;
  /** The event that placed it, kept on the order so a support engineer can trace it back. */
  eventId: string;
  placedAt: string;
}

export interface Totals {
  orderCount: number;
  totalSpent: number;
}

/** How long an idempotency record is kept (the table's TTL attribute `ExpiresAt`): a day covers any retry. */
const IDEMPOTENCY_TTL_SECONDS = 86_400;

export const idempotencyRecordId = (eventId: string): string => `IDEMPOTENCY#${eventId}`;

export class OrderStore {
  constructor(
    private readonly docs: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly region: string,
  ) {}

  /**
   * Records the event as processed and creates the order in one transaction: both or neither.
   * 'duplicate' when this replica already holds the event's record, 'exists' when another event
   * created the same order id.
   */
  async createOrderOnce(order: Order): Promise<'created' | 'duplicate' | 'exists'> {
    try {
      await this.docs.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: this.idempotencyRecord(order.eventId), ConditionExpression: 'attribute_not_exists(Id)' } },
            { Put: { TableName: this.table, Item: this.orderItem(order), ConditionExpression: 'attribute_not_exists(Id)' } },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      const reasons = cancellationCodes(error);
      if (reasons?.[0] === 'ConditionalCheckFailed') return 'duplicate';
      if (reasons?.[1] === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  }

  /** Adds one order to the customer's totals item (one item per customer, updated from every region). */
  async addToCustomerTotals(customerId: string, total: number): Promise<void> {
    await this.docs.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { Id: customerId },
        UpdateExpression: 'ADD orderCount :one, totalSpent :total',
        ExpressionAttributeValues: { ':one': 1, ':total': total },
      }),
    );
  }

  /** Reads the customer's totals item. */
  async customerTotals(customerId: string): Promise<Totals> {
    const { Responses } = await this.docs.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: [{ Id: customerId }], ConsistentRead: true } } }));
    return sumTotals(Responses?.[this.table] ?? []);
  }

  /**
   * Claims the event: a conditional put of its idempotency record alone. false when the record is
   * already there (the event was, or is being, processed).
   */
  async claimEvent(eventId: string): Promise<boolean> {
    try {
      await this.docs.send(new PutCommand({ TableName: this.table, Item: this.idempotencyRecord(eventId), ConditionExpression: 'attribute_not_exists(Id)' }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Gives a claim back, so that a retry after a failure processes the event again. */
  async releaseEvent(eventId: string): Promise<void> {
    await this.docs.send(new DeleteCommand({ TableName: this.table, Key: { Id: idempotencyRecordId(eventId) } }));
  }

  /**
   * Creates the order and adds it to this region's totals item in one transaction. Each region
   * writes only its own totals item, so no two regions ever update the same item concurrently.
   */
  async createOrderWithRegionalTotals(order: Order): Promise<'created' | 'exists'> {
    try {
      await this.docs.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: this.orderItem(order), ConditionExpression: 'attribute_not_exists(Id)' } },
            {
              Update: {
                TableName: this.table,
                Key: { Id: regionalTotalsId(order.customerId, this.region) },
                UpdateExpression: 'ADD orderCount :one, totalSpent :total',
                ExpressionAttributeValues: { ':one': 1, ':total': order.total },
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  }

  /** The customer's totals: the sum of every region's totals item (read in this region). */
  async regionalTotals(customerId: string, regions: readonly string[]): Promise<Totals> {
    const Keys = regions.map((region) => ({ Id: regionalTotalsId(customerId, region) }));
    const { Responses } = await this.docs.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys, ConsistentRead: true } } }));
    return sumTotals(Responses?.[this.table] ?? []);
  }

  private orderItem(order: Order): Record<string, unknown> {
    return { Id: order.orderId, customerId: order.customerId, total: order.total, status: 'placed', eventId: order.eventId, placedAt: order.placedAt, placedIn: this.region };
  }

  private idempotencyRecord(eventId: string): Record<string, unknown> {
    return { Id: idempotencyRecordId(eventId), IdempotencyKey: eventId, ExpiresAt: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS };
  }
}

export const regionalTotalsId = (customerId: string, region: string): string => `${customerId}#TOTALS#${region}`;

function sumTotals(items: Record<string, unknown>[]): Totals {
  let orderCount = 0;
  let totalSpent = 0;
  for (const item of items) {
    orderCount += Number(item['orderCount'] ?? 0);
    totalSpent += Number(item['totalSpent'] ?? 0);
  }
  return { orderCount, totalSpent };
}

/** The per-item reasons of a cancelled transaction ('None', 'ConditionalCheckFailed', ...), or undefined for any other error. */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((r) => r.Code);
}
