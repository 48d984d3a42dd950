import type { AssertionResult } from '../trace/report.js';

/**
 * An assertion as the views name it: an invariant as "invariant: …", a check step's result after
 * the check's name ("after the pause: converged"), any other by its name alone.
 */
export function assertionLabel(a: AssertionResult): string {
  switch (a.source) {
    case 'invariant':
      return `invariant: ${a.name}`;
    case 'check':
      return `${a.check}: ${a.name}`;
    default:
      return a.name;
  }
}
