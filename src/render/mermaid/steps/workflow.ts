import type { TraceEvent } from '../../../trace/events.js';
import { assertNever } from '../assert-never.js';
import type { Step } from '../sequence-model.js';
import { CLIENT, stepFunctionsId, type Context } from '../sequence-participants.js';

/** A Step Functions execution: started (or deduplicated, or refused), its states, its end. */
export type WorkflowTrace = Extract<TraceEvent, { kind: 'execution-started' | 'execution-deduplicated' | 'execution-rejected' | 'state-entered' | 'execution-closed' }>;

export function workflowStep(e: WorkflowTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'execution-started':
      return {
        t: e.t,
        arrow: { from: ctx.use(CLIENT), to: ctx.use(stepFunctionsId(e.region)), arrow: '->>', verb: `StartExecution ${e.workflow}`, item: e.name, detail: `${e.executionId}, event ${e.eventId}` },
        notes: [],
        routine: true,
        category: 'workflow',
      };
    case 'execution-deduplicated': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        arrow: { from: sfn, to: ctx.use(CLIENT), arrow: '-->>', verb: 'StartExecution returned running', item: e.executionId, detail: `name ${e.name}, event ${e.eventId}` },
        notes: [{ over: [sfn], text: `deduplicated: execution ${e.name} still runs with the same input (Standard, this region only)` }],
        routine: false,
        category: 'workflow',
      };
    }
    case 'execution-rejected': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        arrow: { from: sfn, to: ctx.use(CLIENT), arrow: '--x', verb: e.error, item: e.name, detail: `event ${e.eventId}` },
        notes: [{ over: [sfn], text: e.reason === 'closed' ? `execution ${e.name} has closed: its name is refused` : `execution ${e.name} runs with different input` }],
        routine: false,
        category: 'workflow',
      };
    }
    case 'state-entered': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        arrow: { from: sfn, to: sfn, arrow: '->>', verb: 'state', item: e.state, detail: e.executionId },
        notes: [],
        routine: true,
        category: 'workflow',
        mergeKey: `state|${e.region}|${e.executionId}`,
      };
    }
    case 'execution-closed': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        notes: [{ over: [sfn], text: `execution ${e.executionId} ${e.status}` }],
        routine: e.status === 'SUCCEEDED',
        category: 'workflow',
      };
    }
    default:
      return assertNever(e);
  }
}
