import type { StepChecks } from '../sim/steps/step-checks.js';
import { countTrace } from './counts.js';
import { checkExpectation, checkRead, matchesSubset } from './expectations.js';

/** The judging of steps' expectations, as the simulation asks for it (see StepChecks). */
export const stepChecks: StepChecks = {
  read: checkRead,
  state: (expect, items, trace, name, at) => checkExpectation(expect, { items, counts: countTrace(trace) }, { source: 'check', check: name }, at),
  matchesSubset,
};
