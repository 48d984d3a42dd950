import { DynamoDBError } from '../../dynamodb/errors.js';
import type { RequestRejectedTrace } from '../../trace/events.js';

/** DynamoDB's 500 from a region that is down: already traced as `request-rejected`, so a port does not trace it again. */
export class RegionDownError extends DynamoDBError {}

/**
 * A request to a region that is down, from anyone (another region's Lambda included): what the
 * trace says (named by the request, not by the event: the event's Lambda got the error, not its
 * client) and the 500 a client retries, as `geosim serve` answers it. Shared by the model's World
 * and the DynamoDB backend, so an outage refuses the same requests on both.
 */
export function outageRefusal(t: number, region: string, operation: string, cause: string | undefined, caller: string | undefined): { trace: Omit<RequestRejectedTrace, 'seq'>; error: DynamoDBError } {
  const by = cause !== undefined ? ` for ${cause}` : '';
  return {
    trace: { kind: 'request-rejected', t, region, eventId: `${operation}${by}`, ...(caller !== undefined ? { request: `from ${caller}` } : {}), reason: 'region-outage' },
    error: new RegionDownError('InternalServerError', `${region} is down (an outage fault of the scenario); requests to it fail until the fault ends`),
  };
}
