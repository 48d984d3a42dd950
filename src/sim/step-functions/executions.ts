/** What StartExecution returned. */
export type StartResult =
  | { kind: 'started'; executionId: string }
  | { kind: 'deduplicated'; executionId: string }
  | { kind: 'rejected'; executionId: string; error: 'ExecutionAlreadyExists'; reason: 'different-input' | 'closed' };

interface Execution {
  executionId: string;
  input: string;
  running: boolean;
  closedAt?: number;
}

/** "You can reuse names after 90 days" (aws-semantics §5). */
export const NAME_REUSE_AFTER_MS = 90 * 24 * 3_600_000;

/**
 * The executions of one state machine, for the StartExecution idempotency rule of aws-semantics §5:
 * - Standard: "if you call StartExecution with the same name and input as a running execution, the
 *   call succeeds and return[s] the same response as the original request. If the execution is
 *   closed or if the input is different, it returns a 400 ExecutionAlreadyExists error."
 * - Names are unique per account, Region and state machine: the same name in two regions starts two
 *   executions.
 * - Express: "Idempotency is not automatically managed": every start is a new execution.
 */
export class ExecutionRegistry {
  private readonly byName = new Map<string, Execution>();
  private started = 0;

  constructor(readonly type: 'standard' | 'express') {}

  start(region: string, name: string, input: string, now: number): StartResult {
    const executionId = `${region}:${name}:${++this.started}`;
    if (this.type === 'express') return { kind: 'started', executionId };
    const key = `${region}\u0000${name}`;
    const existing = this.byName.get(key);
    if (existing && (existing.running || now - existing.closedAt! < NAME_REUSE_AFTER_MS)) {
      this.started--;
      if (existing.running && existing.input === input) return { kind: 'deduplicated', executionId: existing.executionId };
      return { kind: 'rejected', executionId: existing.executionId, error: 'ExecutionAlreadyExists', reason: existing.running ? 'different-input' : 'closed' };
    }
    this.byName.set(key, { executionId, input, running: true });
    return { kind: 'started', executionId };
  }

  close(executionId: string, now: number): void {
    for (const execution of this.byName.values()) {
      if (execution.executionId === executionId) {
        execution.running = false;
        execution.closedAt = now;
      }
    }
  }
}

/** The execution input as Step Functions compares it: the request body, keys in a stable order. */
export function canonicalInput(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
