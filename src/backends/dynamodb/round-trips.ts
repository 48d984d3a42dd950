import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** HTTP requests sent to DynamoDB, per operation name; SDK retries count as separate trips. */
export interface RoundTripCounter {
  total: number;
  byOperation: Record<string, number>;
  reset(): void;
}

export function createRoundTripCounter(): RoundTripCounter {
  return {
    total: 0,
    byOperation: {},
    reset() {
      this.total = 0;
      this.byOperation = {};
    },
  };
}

/**
 * Counts every request the client sends. The middleware sits in the `deserialize` step, which runs
 * inside the retry loop (`finalizeRequest`), so each attempt on the wire is one trip.
 * Works on any SDK v3 client, including one handed to Powertools, so benchmarks compare like for like.
 */
export function countRoundTrips(client: Pick<DynamoDBClient, 'middlewareStack'>, counter: RoundTripCounter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counter.total += 1;
      const op = context.commandName ?? 'unknown';
      counter.byOperation[op] = (counter.byOperation[op] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', name: 'geosimRoundTripCounter', override: true },
  );
}
