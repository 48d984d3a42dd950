import { createInProcessRequestHandler, type InProcessRequestHandler } from '../../dynamodb/sdk-request-handler.js';
import type { Substrate } from '../substrate.js';
import { invocationScope } from './invocation-scope.js';

/** The DynamoDB operations that change the table: a successful one is an effect of its event. */
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/**
 * The request handler every DynamoDBClient of a team's handler gets in `region`: the SDK builds,
 * signs and parses as always, and the request goes to `substrate.send` — the model's endpoint, or
 * DynamoDB through geosim's own client — so every write is traced with the event being handled
 * (from the invocation scope) and replicated like any other. The answer comes `latencyMs` later
 * in the run's time, and meanwhile other invocations run.
 */
export function substrateRequestHandler(substrate: Substrate, region: string, latencyMs: number): InProcessRequestHandler {
  const endpoint = {
    async handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
      const store = invocationScope.getStore();
      // Lambda freezes a function whose invocation has ended: a call still in flight then never answers.
      if (store?.invocation.ended) return new Promise<never>(() => {});
      substrate.cause = store ? (store.event?.eventId ?? store.invocation.cause) : undefined;
      try {
        const out = await substrate.send(region, operation, input);
        if (store?.event && WRITE_OPERATIONS.has(operation)) store.event.effects++;
        return out;
      } finally {
        substrate.cause = undefined;
        if (latencyMs > 0) await substrate.after(latencyMs);
      }
    },
  };
  return createInProcessRequestHandler({ endpointFor: () => endpoint, defaultRegion: region });
}
