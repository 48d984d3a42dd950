import { describe, expect, it } from 'vitest';
import { workflowStep } from '../../../../src/render/mermaid/steps/workflow.js';
import { E, only, traced } from './context.js';

const SFN = 'StepFunctions_us_east_1';

describe('workflowStep (Step Functions executions)', () => {
  it('draws a start as a routine client arrow and each state as a routine self-arrow merging per execution', () => {
    const { ctx, events } = traced([
      { kind: 'execution-started', t: 0, region: E, workflow: 'standard', name: 'order-1', executionId: 'x1', eventId: 'e1' },
      { kind: 'state-entered', t: 5, region: E, executionId: 'x1', eventId: 'e1', state: 'Charge' },
    ]);
    expect(workflowStep(only(events, 'execution-started'), ctx)).toEqual({
      t: 0,
      arrow: { from: 'Client', to: SFN, arrow: '->>', verb: 'StartExecution standard', item: 'order-1', detail: 'x1, event e1' },
      notes: [],
      routine: true,
      category: 'workflow',
    });
    expect(workflowStep(only(events, 'state-entered'), ctx)).toEqual({
      t: 5,
      arrow: { from: SFN, to: SFN, arrow: '->>', verb: 'state', item: 'Charge', detail: 'x1' },
      notes: [],
      routine: true,
      category: 'workflow',
      mergeKey: 'state|us-east-1|x1',
    });
  });

  it('draws a deduplicated start as the running execution returned, with a note', () => {
    const { ctx, events } = traced([{ kind: 'execution-deduplicated', t: 3, region: E, name: 'order-1', executionId: 'x1', eventId: 'e1-r' }]);
    const step = workflowStep(only(events, 'execution-deduplicated'), ctx);
    expect(step.arrow).toEqual({ from: SFN, to: 'Client', arrow: '-->>', verb: 'StartExecution returned running', item: 'x1', detail: 'name order-1, event e1-r' });
    expect(step.notes).toEqual([{ over: [SFN], text: 'deduplicated: execution order-1 still runs with the same input (Standard, this region only)' }]);
    expect(step.routine).toBe(false);
  });

  it.each([
    ['closed', 'execution order-1 has closed: its name is refused'],
    ['different-input', 'execution order-1 runs with different input'],
  ] as const)('draws a start refused (%s) as a lost arrow with the reason', (reason, note) => {
    const { ctx, events } = traced([{ kind: 'execution-rejected', t: 3, region: E, name: 'order-1', executionId: 'x1', eventId: 'e2', error: 'ExecutionAlreadyExists', reason }]);
    const step = workflowStep(only(events, 'execution-rejected'), ctx);
    expect(step.arrow).toEqual({ from: SFN, to: 'Client', arrow: '--x', verb: 'ExecutionAlreadyExists', item: 'order-1', detail: 'event e2' });
    expect(step.notes).toEqual([{ over: [SFN], text: note }]);
  });

  it('notes the end of an execution, routine only when it succeeded', () => {
    const { ctx, events } = traced([
      { kind: 'execution-closed', t: 9, region: E, executionId: 'x1', eventId: 'e1', status: 'SUCCEEDED' },
      { kind: 'execution-closed', t: 9, region: E, executionId: 'x2', eventId: 'e2', status: 'FAILED' },
    ]);
    expect(workflowStep(only(events, 'execution-closed', 0), ctx)).toEqual({ t: 9, notes: [{ over: [SFN], text: 'execution x1 SUCCEEDED' }], routine: true, category: 'workflow' });
    expect(workflowStep(only(events, 'execution-closed', 1), ctx).routine).toBe(false);
  });
});
