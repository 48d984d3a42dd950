/** DynamoDB JSON's type descriptors: `{S: a}` is how the API writes a string, not how a scenario does. */
const TYPE_DESCRIPTORS: ReadonlySet<string> = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'BOOL', 'NULL']);

/**
 * How a scenario writes `value` when it is a value in DynamoDB JSON (`{S: A}`, one type descriptor
 * and its value), which a scenario reads as a map: `name: "A"`, said as a hint; else undefined.
 * Only a caller that knows a map cannot be meant (a key, a field that takes a string or number)
 * asks: an item's other attributes may be maps with an attribute named S.
 */
export function dynamoJsonHint(name: string, value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !TYPE_DESCRIPTORS.has(keys[0]!)) return undefined;
  const inner = (value as Record<string, unknown>)[keys[0]!];
  const plain = typeof inner === 'string' || typeof inner === 'number' ? JSON.stringify(inner) : '…';
  return `values are plain YAML, as DocumentClient marshals them, not DynamoDB JSON: write ${name}: ${plain}, not ${name}: {${keys[0]}: ${plain}} (a number a double cannot hold is {$N: "…"}, a binary {$B: base64})`;
}
