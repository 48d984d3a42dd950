import type { Item } from './item.js';
import type { WriteOp } from './table-port.js';

/** A DynamoDB exception as the API names it, e.g. `ValidationException` and its message. */
export interface TableErrorInfo {
  name: string;
  message: string;
}

/**
 * A write DynamoDB refused because of what the item holds (not a failed condition), thrown by
 * every table port exactly as the SDK throws the exception. The item is unchanged; the port has
 * already traced the refusal as an `operation-failed` step.
 */
export class TableOperationError extends Error {
  constructor(readonly info: TableErrorInfo) {
    super(`${info.name}: ${info.message}`);
    this.name = 'TableOperationError';
  }
}

/** DynamoDB's answer to `ADD` on an attribute that is not a number (checked against DynamoDB Local 3.3.0). */
export const ADD_TYPE_ERROR: TableErrorInfo = {
  name: 'ValidationException',
  message: 'An operand in the update expression has an incorrect data type',
};

/**
 * What DynamoDB rejects in `op` given the item it finds, or undefined. Only rules that depend on
 * the stored item live here; what the request alone shows (a key attribute in SET/ADD, SET and
 * ADD on one path) is refused when the scenario loads. `ADD n` works on a missing attribute (0)
 * or a number, and fails on a string, map, list, boolean or null.
 */
export function writeError(op: WriteOp, current: Item | undefined): TableErrorInfo | undefined {
  if (op.kind !== 'update' || op.add === undefined || current === undefined) return undefined;
  for (const attribute of Object.keys(op.add)) {
    if (Object.hasOwn(current, attribute) && typeof current[attribute] !== 'number') return ADD_TYPE_ERROR;
  }
  return undefined;
}
