import type { Item } from '../../app/item.js';
import { TableOperationError } from '../../app/table-errors.js';
import type { TablePort } from '../../app/table-port.js';
import type { Step } from '../../scenario/model.js';
import { stepPath, type TraceEvent, type TraceEventInput } from '../../trace/events.js';
import type { AssertionResult } from '../../trace/report.js';
import type { StepChecks } from './step-checks.js';

/** The steps that go straight to a region's table or check the state, the same on every backend. */
export type TableStep = Extract<Step, { kind: 'read' | 'write' | 'transact' | 'check' }>;

/** What a backend lends the shared step interpreter. */
export interface TableStepContext {
  port(region: string): TablePort;
  now(): number;
  emit(event: TraceEventInput): void;
  /** Tags the writes a step causes (`steps[N]`, stepPath) in the trace. */
  setCause(cause: string | undefined): void;
  /** Items per region right now. */
  snapshot(): Promise<Record<string, Record<string, Item>>>;
  /** The trace so far, for counts in checks. */
  trace(): readonly TraceEvent[];
  assertions: AssertionResult[];
  /** How a step's expectation is judged (src/check, handed in by the run pipeline). */
  checks: StepChecks;
}

/** Runs a client's plain table step (read, put/update/delete, transaction) or a timed check, on any substrate. */
export async function performTableStep(step: TableStep, ctx: TableStepContext): Promise<void> {
  switch (step.kind) {
    case 'read': {
      let item: Item | undefined;
      const asked = ctx.now();
      // traced when its answer comes (an MRSC strong read's takes a round trip), saying when it was asked
      const askedAt = (): { askedAt?: number } => (ctx.now() > asked ? { askedAt: asked } : {});
      try {
        item = await ctx.port(step.region).get(step.item, { consistent: step.consistency === 'strong' });
      } catch (error) {
        // DynamoDB refused the read (MRSC: a strong read where the region has no quorum).
        if (!(error instanceof TableOperationError)) throw error;
        ctx.emit({ kind: 'read', t: ctx.now(), region: step.region, itemId: step.item, consistency: step.consistency, item: null, error: error.info, ...askedAt() });
        if (step.expect !== undefined) ctx.assertions.push({ name: `read ${step.region} ${step.item} (${step.consistency})`, source: 'step', passed: false, expected: step.expect, actual: 'rejected', at: ctx.now(), detail: `${error.info.name}: ${error.info.message}` });
        return;
      }
      ctx.emit({ kind: 'read', t: ctx.now(), region: step.region, itemId: step.item, consistency: step.consistency, item: item ?? null, ...askedAt() });
      if (step.expect !== undefined) ctx.assertions.push(ctx.checks.read(`read ${step.region} ${step.item} (${step.consistency})`, step.expect, item, ctx.now()));
      return;
    }
    case 'write':
    case 'transact':
      ctx.setCause(stepPath(step.index));
      try {
        if (step.kind === 'write') await ctx.port(step.region).write(step.op);
        else await ctx.port(step.region).transactWrite(step.ops);
      } catch (error) {
        // DynamoDB refused the write for what the item holds: the port traced it, the run goes on.
        if (!(error instanceof TableOperationError)) throw error;
      } finally {
        ctx.setCause(undefined);
      }
      return;
    case 'check': {
      const t = ctx.now();
      const items = await ctx.snapshot();
      const results = ctx.checks.state(step.expect, items, ctx.trace(), step.name, t);
      for (const r of results) ctx.assertions.push(r);
      ctx.emit({ kind: 'checkpoint', t, name: step.name, passed: results.every((r) => r.passed) });
      return;
    }
  }
}
