// A table's ARN in place of its name: DynamoDB takes either in every data-plane `TableName` ("You
// can also provide the Amazon Resource Name (ARN) of the table in this parameter"), so a handler
// given CDK's `table.tableArn` works. DynamoDB Local's message for an ARN it cannot read is kept.

import { validation } from './errors.js';

/** `arn:<partition>:dynamodb:<region>:<account>:table/<name>`, the name as a table name is checked. */
const TABLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/;

export const INVALID_ARN =
  "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where Resource name must have length less than or equal to 255, Resource name must have length greater than or equal to 3, Resource name must satisfyregular expression pattern: [a-zA-Z0-9_.-]+";

/** Whether `name` is given as an ARN (DynamoDB reads it as one; a table name never starts so: `:` is not allowed in one). */
export function isArn(name: unknown): name is string {
  return typeof name === 'string' && name.startsWith('arn:');
}

/** The region and table name of a table's ARN, or undefined when it is not one. */
export function parseTableArn(arn: string): { region: string; table: string } | undefined {
  const m = TABLE_ARN.exec(arn);
  return m === null ? undefined : { region: m[2]!, table: m[4]! };
}

/**
 * A transaction the model's own application sends (every event's write): it names its tables by
 * name, so `withTableNames` need not look through its entries (a tenth of a microsecond an event).
 */
export class TransactionByName {
  [parameter: string]: unknown;
  constructor(readonly TransactItems: Record<string, unknown>[]) {}
}

/**
 * `input` with every ARN of a table in `region` written as the table's name, or `input` itself when
 * it names none (the common case: one test of a string). The request then reads as any other: the
 * trace names its items, and the answer keys tables by name, as DynamoDB Local's does. An ARN of
 * another region, or one that is no table's ARN, is left for the endpoint to refuse.
 */
export function withTableNames(operation: string, input: Record<string, unknown>, region: string): Record<string, unknown> {
  const named = (value: unknown): unknown => {
    if (!isArn(value)) return value;
    const arn = parseTableArn(value);
    return arn !== undefined && arn.region === region ? arn.table : value;
  };
  if (isArn(input.TableName)) return { ...input, TableName: named(input.TableName) };
  if (input instanceof TransactionByName) return input;
  if ((operation === 'TransactWriteItems' || operation === 'TransactGetItems') && Array.isArray(input.TransactItems) && input.TransactItems.some((entry) => entryArn(entry) !== undefined)) {
    return {
      ...input,
      TransactItems: input.TransactItems.map((entry: unknown) => {
        const at = entryArn(entry);
        if (at === undefined) return entry;
        const body = (entry as Record<string, Record<string, unknown>>)[at]!;
        return { ...(entry as object), [at]: { ...body, TableName: named(body.TableName) } };
      }),
    };
  }
  if ((operation === 'BatchGetItem' || operation === 'BatchWriteItem') && isRecord(input.RequestItems) && Object.keys(input.RequestItems).some(isArn)) {
    const entries = Object.entries(input.RequestItems).map(([name, value]) => [named(name) as string, value] as const);
    // One table by its name and by its ARN: two entries that would become one (the second
    // overwriting the first, its requests dropped without a word). AWS does not say what it does.
    const twice = entries.find(([name], i) => entries.findIndex(([other]) => other === name) !== i);
    if (twice !== undefined) throw validation(`RequestItems names the table ${twice[0]} twice (by its name and by its ARN): give each table once`);
    return { ...input, RequestItems: Object.fromEntries(entries) };
  }
  return input;
}

/** A transaction entry's members that name a table. */
const ENTRY_MEMBERS = ['Put', 'Update', 'Delete', 'ConditionCheck', 'Get'] as const;

/**
 * The member of a transaction entry (`Put`, `Get`, …) whose `TableName` is an ARN, if one is.
 * (Every event's transaction passes here: looked up by the members' names, nothing allocated.)
 */
function entryArn(entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  for (const member of ENTRY_MEMBERS) {
    const body = entry[member];
    if (isRecord(body) && isArn(body.TableName)) return member;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
