/**
 * DynamoDB's attribute values in their wire shape (the JSON 1.0 protocol the SDK sends:
 * `{"S": "x"}`, `{"N": "1.5"}`, `{"B": "<base64>"}`), the one representation the model's DynamoDB
 * API stores and answers with. Numbers stay decimal strings (38 significant digits); binary stays
 * base64 as on the wire. Items and maps are objects without a prototype, so any attribute name
 * (`__proto__`, `constructor`) is data.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: AttributeMap }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

/** An item or a map value: attribute name → value. */
export type AttributeMap = Record<string, AttributeValue>;
export type Item = AttributeMap;

/** The type descriptors DynamoDB uses (`attribute_type(path, :t)`, key schema `AttributeType`). */
export const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** The descriptor of a value, e.g. `N` for `{N: "1"}`. */
export function typeOf(value: AttributeValue): AttributeType {
  // for…in rather than Object.keys(value)[0]: no array per call (called for every value the model
  // sizes, compares or converts); an attribute value has one own key and no inherited enumerable one
  for (const type in value) return type as AttributeType;
  return undefined as unknown as AttributeType;
}
