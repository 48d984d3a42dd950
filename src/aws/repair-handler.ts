import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue as SdkAttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictResolver } from '../app/conflict-resolver.js';
import { isIdempotencyRecordId, type Item } from '../app/item.js';
import { createRepairConsumer, type ChangeRecord } from '../app/repair-consumer.js';
import { stripHidden } from '../backends/dynamodb/attribute-codec.js';
import { required, tablePorts, type FunctionEnv } from './function-env.js';

/**
 * The deployable client-lww repair consumer (nodejs22.x, `Handler: repair-handler.handler`): a
 * DynamoDB Streams event source on this Region's replica stream feeds it, and it runs the same
 * `createRepairConsumer` the model wires in every region (src/sim/simulation.ts), against the
 * replica in this function's Region. Replication keeps the write with the later service timestamp
 * (aws-semantics §1.3); when that replaced an item whose client Timestamp is later, the consumer
 * writes the client-timestamp winner back, and that write replicates like any other.
 *
 * Environment: TABLE_NAME (required), AWS_REGION (set by Lambda), DYNAMODB_ENDPOINT (tests).
 */
export interface RepairHandlerConfig {
  env: FunctionEnv;
  /** DynamoDB clients by Region; one is made from the environment when absent. */
  client?: (region: string) => DynamoDBClient;
  log?: (line: Record<string, unknown>) => void;
}

export type RepairHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Builds a handler from explicit configuration (the test's entry point; `handler` uses process.env). */
export function createRepairHandler(config: RepairHandlerConfig): RepairHandler {
  const log = config.log ?? ((line) => console.log(JSON.stringify(line)));
  let consume: ReturnType<typeof createRepairConsumer> | undefined;
  const getConsumer = () => {
    if (!consume) {
      const portFor = tablePorts(config.env, config.client);
      consume = createRepairConsumer(portFor(required(config.env, 'AWS_REGION')), new ConflictResolver());
    }
    return consume;
  };
  return async (event) => {
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      const change = toChangeRecord(record);
      if (change === undefined) {
        log({ source: 'dynamodb-stream', sequenceNumber, eventName: record.eventName, outcome: 'skipped' });
        continue;
      }
      try {
        const repair = await getConsumer()(change);
        log({ source: 'dynamodb-stream', sequenceNumber, itemId: change.newImage?.Id, outcome: repair ? 'repaired' : 'unchanged' });
      } catch (error) {
        log({ source: 'dynamodb-stream', sequenceNumber, itemId: change.newImage?.Id, error: (error as Error).name, message: (error as Error).message });
        // Without a sequence number the failure cannot be pinned to a record: fail the batch.
        if (sequenceNumber === undefined) throw error;
        // A stream is processed in order: Lambda restarts the shard from the lowest reported
        // sequence number, so the records after this one are retried anyway. Stop here; the
        // records before it stay done (partial batch response with ReportBatchItemFailures).
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

/**
 * The images of a MODIFY record of a data item, hidden service attributes left out (as everything
 * the application sees, src/backends/dynamodb/attribute-codec.ts); undefined for any other record.
 * The event source's filter criteria already pass only these (infra/template.yaml); the check is
 * repeated here so that a mapping created without the filter cannot feed the consumer other records.
 */
export function toChangeRecord(record: DynamoDBRecord): ChangeRecord | undefined {
  if (record.eventName !== 'MODIFY') return undefined;
  const oldImage = decode(record.dynamodb?.OldImage);
  const newImage = decode(record.dynamodb?.NewImage);
  if (!oldImage || !newImage) return undefined;
  const keyId = record.dynamodb?.Keys?.['Id']?.S ?? newImage.Id;
  if (typeof keyId !== 'string' || isIdempotencyRecordId(keyId)) return undefined;
  return { oldImage, newImage };
}

function decode(image: Record<string, unknown> | undefined): Item | undefined {
  if (image === undefined || Object.keys(image).length === 0) return undefined;
  // The Lambda event's attribute values have the same JSON shape as the SDK's.
  return stripHidden(unmarshall(image as Record<string, SdkAttributeValue> as Parameters<typeof unmarshall>[0]) as Item);
}

/** The Lambda entry point (`Handler: repair-handler.handler`), configured from the function's environment. */
export const handler = createRepairHandler({ env: process.env });
