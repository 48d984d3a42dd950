import type { TraceEventInput, VersionStamp } from '../../trace/events.js';
import type { RegionTable } from './emulated-replication.js';
import type { WriteObservation } from './table-port.js';

/** What the requests need from the substrate around them. */
export interface ApiRequestHost {
  /** The region's table of the scenario (the first declared, or GlobalEventTable). */
  table(region: string): RegionTable;
  /** Every table of the run in the region, the scenario's first (absent: `table` alone). */
  tables?(region: string): readonly RegionTable[];
  /** The version stamp of a local write to item `id` of `table` (emulated replication; default the scenario's table), if geosim stamps writes. */
  stamp(region: string, id: string, table?: string): VersionStamp | undefined;
  /** Notes a write for the trace and replication, as the port's observer does. */
  observe(region: string, observation: WriteObservation): void;
  /** Names the next TransactWriteItems (`tx1`, `tx2`…, shared with the ports' transactions, as the model names them). */
  transactionId(): string;
  /**
   * The other regions the region's table replicates to when geosim emulates the global table (its
   * DescribeTable names them as the model's does); undefined when the service replicates itself.
   */
  emulatedReplicas?(region: string): readonly string[] | undefined;
  emit(event: TraceEventInput): void;
  now(): number;
  cause(): string | undefined;
  /** The region of the Lambda making the request (Substrate.caller). */
  caller(): string | undefined;
}
