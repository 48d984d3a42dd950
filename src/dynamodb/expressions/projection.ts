/**
 * ProjectionExpression: the parts of an item its paths name, in the item's shape. Elements picked
 * from a list keep their order in the list and close up (`l[3], l[1]` gives a list of two);
 * paths that lead nowhere are left out.
 */
import { emptyMap } from '../value-ops.js';
import type { AttributeMap, AttributeValue, Item } from '../values.js';
import type { Path, Projection } from './ast.js';
import { resolvePath } from './evaluate.js';
import { cloneValue } from './update.js';

/** A partial copy under construction: maps by key, lists by index (closed up at the end). */
type Draft = { kind: 'map'; entries: Map<string, Draft | AttributeValue> } | { kind: 'list'; entries: Map<number, Draft | AttributeValue> };

function isDraft(x: Draft | AttributeValue): x is Draft {
  return 'kind' in x && 'entries' in x;
}

function place(root: Draft, item: Item, path: Path): void {
  const value = resolvePath(item, path);
  if (value === undefined) return;
  let draft = root;
  for (let i = 0; i < path.length; i++) {
    const element = path[i]!;
    const key = element.kind === 'name' ? element.name : element.index;
    const entries = draft.entries as Map<string | number, Draft | AttributeValue>;
    if (i === path.length - 1) {
      entries.set(key, cloneValue(value));
      return;
    }
    let child = entries.get(key);
    if (child === undefined || !isDraft(child)) {
      child = path[i + 1]!.kind === 'name' ? { kind: 'map', entries: new Map() } : { kind: 'list', entries: new Map() };
      entries.set(key, child);
    }
    draft = child;
  }
}

function finish(draft: Draft): AttributeValue {
  if (draft.kind === 'map') return { M: finishMap(draft) };
  const indexes = [...draft.entries.keys()].sort((a, b) => a - b);
  return { L: indexes.map((i) => finishEntry(draft.entries.get(i)!)) };
}

function finishEntry(entry: Draft | AttributeValue): AttributeValue {
  return isDraft(entry) ? finish(entry) : entry;
}

function finishMap(draft: Draft & { kind: 'map' }): AttributeMap {
  const out = emptyMap();
  for (const [key, entry] of draft.entries) out[key] = finishEntry(entry);
  return out;
}

export function project(projection: Projection, item: Item): Item {
  const root: Draft & { kind: 'map' } = { kind: 'map', entries: new Map() };
  for (const path of projection.paths) place(root, item, path);
  return finishMap(root);
}
