import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  EventBridgeEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventProcessor, type ProcessResult } from '../app/event-processor.js';
import type { AppEvent } from '../app/event.js';
import { MalformedEventError, parseEnvelope, parseEnvelopeText } from './parse-envelope.js';
import { tablePorts } from './function-env.js';
import { processorOptions } from './processor-env.js';

/**
 * The deployable Lambda handler (nodejs22.x): TMF688 events from SQS, EventBridge (and the Step
 * Functions workflow, which sends the same shape) and API Gateway, each run through the same
 * EventProcessor the model runs, against the replica in this function's Region.
 *
 * Environment: TABLE_NAME (required), AWS_REGION (set by Lambda), and optionally STRATEGY
 * (client-lww | lww-item, alias service-lww | version, ...: STRATEGY_NAMES in processor-env.ts;
 * default client-lww), IDEMPOTENCY (local | none | home-region, default local), CONSISTENCY (mrec |
 * mrsc, default mrec: mrsc puts the idempotency record, then the change, with no transaction),
 * HOME_REGIONS (comma-separated replica Regions, for home-region), IDEMPOTENCY_TTL_SECONDS (default
 * 86400), MAX_RETRIES (default 3), DYNAMODB_ENDPOINT (tests).
 */
export type HandlerEvent = SQSEvent | EventBridgeEvent<string, unknown> | APIGatewayProxyEvent | APIGatewayProxyEventV2;
export type HandlerResult = SQSBatchResponse | APIGatewayProxyResult | ProcessedEvent;

export interface ProcessedEvent {
  eventId: string;
  outcome: ProcessResult['outcome'];
  detail?: string;
}

/** A processing failure that a retry may fix (version conflict outlasting its retries). */
export class EventFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventFailedError';
  }
}

export interface HandlerConfig {
  env: Record<string, string | undefined>;
  /** DynamoDB clients by Region; one is made from the environment when absent. */
  client?: (region: string) => DynamoDBClient;
  log?: (line: Record<string, unknown>) => void;
}

/** Builds a handler from explicit configuration (the test's entry point; `handler` uses process.env). */
export function createHandler(config: HandlerConfig): (event: HandlerEvent) => Promise<HandlerResult> {
  let processor: EventProcessor | undefined;
  const log = config.log ?? ((line) => console.log(JSON.stringify(line)));
  const getProcessor = () => (processor ??= buildProcessor(config));
  return async (event) => {
    if (isSqs(event)) {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        try {
          const result = await runEvent(getProcessor(), parseEnvelopeText(record.body));
          log({ source: 'sqs', messageId: record.messageId, ...result });
          if (result.outcome === 'failed') failures.push({ itemIdentifier: record.messageId });
        } catch (error) {
          // Reported, not thrown: the other messages of the batch stay done, and this one is
          // redelivered until maxReceiveCount moves it to the dead-letter queue.
          log({ source: 'sqs', messageId: record.messageId, error: (error as Error).name, message: (error as Error).message });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    }
    if (isApiGateway(event)) {
      let appEvent: AppEvent;
      try {
        const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
        appEvent = parseEnvelopeText(body);
      } catch (error) {
        if (error instanceof MalformedEventError) return json(400, { error: error.message });
        throw error;
      }
      const result = await runEvent(getProcessor(), appEvent);
      log({ source: 'api', ...result });
      // A duplicate is the answer the first request got (200): a client retrying after a lost
      // response must not see an error. A version conflict that outlived its retries is a 409.
      return json(result.outcome === 'failed' ? 409 : 200, result);
    }
    if (isEventBridge(event)) {
      // Thrown errors make Lambda retry the asynchronous invocation and then send it to the DLQ
      // (aws-semantics §6.2), and make the Step Functions task fail into its Retry/Catch.
      const result = await runEvent(getProcessor(), parseEnvelope(event.detail));
      log({ source: 'eventbridge', id: event.id, ...result });
      if (result.outcome === 'failed') throw new EventFailedError(`event ${result.eventId} failed: ${result.detail ?? 'no detail'}`);
      return result;
    }
    throw new MalformedEventError('unsupported invocation: expected an SQS batch, an EventBridge event or an API Gateway request');
  };
}

async function runEvent(processor: EventProcessor, event: AppEvent): Promise<ProcessedEvent> {
  const result = await processor.processEvent(event);
  return { eventId: event.envelope.eventId, outcome: result.outcome, ...(result.detail !== undefined ? { detail: result.detail } : {}) };
}

function buildProcessor(config: HandlerConfig): EventProcessor {
  return new EventProcessor(processorOptions(config.env, tablePorts(config.env, config.client), Date.now));
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function isSqs(event: HandlerEvent): event is SQSEvent {
  return Array.isArray((event as SQSEvent).Records) && (event as SQSEvent).Records.every((r) => r.eventSource === 'aws:sqs');
}

function isApiGateway(event: HandlerEvent): event is APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  return typeof event === 'object' && event !== null && 'requestContext' in event && 'body' in event;
}

function isEventBridge(event: HandlerEvent): event is EventBridgeEvent<string, unknown> {
  return typeof event === 'object' && event !== null && 'detail-type' in event && 'detail' in event;
}

/** The Lambda entry point (`Handler: handler.handler`), configured from the function's environment. */
export const handler = createHandler({ env: process.env });
