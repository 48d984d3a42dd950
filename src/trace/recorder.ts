import type { TraceEvent, TraceEventInput } from './events.js';

/** Where the model sends trace events. Numbering happens here so the model never counts. */
export interface TraceSink {
  emit(event: TraceEventInput): void;
}

/** Keeps every event in order: the trace of a run. */
export class TraceRecorder implements TraceSink {
  readonly events: TraceEvent[] = [];

  emit(event: TraceEventInput): void {
    const numbered = event as TraceEvent;
    numbered.seq = this.events.length + 1;
    this.events.push(numbered);
  }
}

/** Counts events without keeping them: for workloads too large to hold (the benchmark). */
export class CountingSink implements TraceSink {
  count = 0;

  emit(): void {
    this.count++;
  }
}
