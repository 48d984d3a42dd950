/**
 * Applying an UpdateExpression to an item, with DynamoDB's semantics: every SET value is computed
 * from the item as it was before the update (`SET a = :v, b = a` gives b the old a), then SET,
 * REMOVE, ADD and DELETE apply. SET on a list index past the end appends (several in the order of
 * their indexes); REMOVE (or DELETE) of a missing member or index does nothing, of a path through
 * something missing is refused, and list removals shift the rest (indexes refer to the list before the update);
 * DELETE that empties a set removes the attribute.
 */
import { validation } from '../errors.js';
import { addNumbers, canonicalNumber, subtractNumbers } from '../numbers.js';
import { emptyMap } from '../value-ops.js';
import { typeOf, type AttributeMap, type AttributeValue, type Item } from '../values.js';
import type { Operand, Path, PathElement, Update, UpdateAction } from './ast.js';
import { resolvePath } from './evaluate.js';

export const UPDATE_MESSAGES = {
  invalidPath: 'The document path provided in the update expression is invalid for update',
  missingAttribute: 'The provided expression refers to an attribute that does not exist in the item',
  wrongType: 'An operand in the update expression has an incorrect data type',
  keyAttribute: (name: string) => `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
} as const;

/** A deep copy (maps without prototype). */
export function cloneValue(value: AttributeValue): AttributeValue {
  if ('M' in value) return { M: cloneMap(value.M) };
  if ('L' in value) return { L: value.L.map(cloneValue) };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  if ('BS' in value) return { BS: [...value.BS] };
  return { ...value } as AttributeValue;
}

export function cloneMap(map: AttributeMap): AttributeMap {
  const out = emptyMap();
  for (const name in map) if (Object.hasOwn(map, name)) out[name] = cloneValue(map[name]!);
  return out;
}

/**
 * The result of one update, copied on write: it starts as a shallow copy of the item and shares
 * every value with it (stored items are never changed in place), and a map or list inside it is
 * copied the first time the update changes something in it. A deep copy of the whole item on
 * every update was most of an update's cost.
 */
class Draft {
  /** The maps and lists inside the item this update made and may change in place (made on the first nested change). */
  private own: Set<object> | undefined;

  constructor(readonly root: Item) {}

  /** The container holding the last element of `path` (copied into the draft), or undefined when a step is missing. */
  parentOf(path: Path): AttributeValue | { M: Item } | undefined {
    let parent: AttributeValue | { M: Item } = { M: this.root };
    if (path.length > 1) this.own ??= new Set();
    for (let i = 0; i < path.length - 1; i++) {
      const element = path[i]!;
      let child: AttributeValue | undefined;
      if (element.kind === 'name') {
        if (!('M' in parent) || !Object.hasOwn(parent.M, element.name)) return undefined;
        child = this.owned(parent.M[element.name]!);
        parent.M[element.name] = child;
      } else {
        if (!('L' in parent) || element.index >= parent.L.length) return undefined;
        child = this.owned(parent.L[element.index]!);
        parent.L[element.index] = child;
      }
      parent = child;
    }
    return parent;
  }

  /** `value` itself when the draft made it, else a shallow copy of its map or list (other values are never changed in place). */
  private owned(value: AttributeValue): AttributeValue {
    if ('M' in value) {
      if (this.own!.has(value.M)) return value;
      const M = emptyMap();
      for (const name of Object.keys(value.M)) M[name] = value.M[name]!;
      this.own!.add(M);
      return { M };
    }
    if ('L' in value) {
      if (this.own!.has(value.L)) return value;
      const L = [...value.L];
      this.own!.add(L);
      return { L };
    }
    return value;
  }
}

function setAt(draft: Draft, path: Path, value: AttributeValue): void {
  const last = path[path.length - 1]!;
  // an attribute of the item itself (most actions): no container to find or wrap
  if (path.length === 1 && last.kind === 'name') {
    draft.root[last.name] = value;
    return;
  }
  const parent = draft.parentOf(path);
  if (last.kind === 'name') {
    if (parent === undefined || !('M' in parent)) throw validation(UPDATE_MESSAGES.invalidPath);
    parent.M[last.name] = value;
  } else {
    if (parent === undefined || !('L' in parent)) throw validation(UPDATE_MESSAGES.invalidPath);
    if (last.index >= parent.L.length) parent.L.push(value);
    else parent.L[last.index] = value;
  }
}

/**
 * Removes what `path` names: nothing when its parent holds no such member or index, but a path
 * through something missing, or a member of what is not a map (an index of what is not a list),
 * is refused, as DynamoDB refuses it.
 */
function removeAt(draft: Draft, path: Path): void {
  const parent = checkParent(draft, path);
  const last = path[path.length - 1]!;
  if (last.kind === 'name') delete (parent as { M: Item }).M[last.name];
  else if (last.index < (parent as { L: AttributeValue[] }).L.length) (parent as { L: AttributeValue[] }).L.splice(last.index, 1);
}

/** The container `path` ends in (copied into the draft): refused when a step is missing, or is not a map for a name (a list for an index). */
function checkParent(draft: Draft, path: Path): AttributeValue | { M: Item } {
  const parent = draft.parentOf(path);
  const last = path[path.length - 1]!;
  if (parent === undefined || (last.kind === 'name' ? !('M' in parent) : !('L' in parent))) throw validation(UPDATE_MESSAGES.invalidPath);
  return parent;
}

function setValue(operand: Operand, original: Item): AttributeValue {
  switch (operand.kind) {
    case 'path': {
      const value = resolvePath(original, operand.path);
      if (value === undefined) throw validation(UPDATE_MESSAGES.missingAttribute);
      return cloneValue(value);
    }
    case 'value':
      return cloneValue(operand.value);
    case 'if_not_exists': {
      const value = resolvePath(original, operand.path);
      return value === undefined ? setValue(operand.fallback, original) : cloneValue(value);
    }
    case 'list_append': {
      const left = setValue(operand.left, original);
      const right = setValue(operand.right, original);
      if (!('L' in left) || !('L' in right)) throw validation(UPDATE_MESSAGES.wrongType);
      return { L: [...left.L, ...right.L] };
    }
    case 'arith': {
      const left = setValue(operand.left, original);
      const right = setValue(operand.right, original);
      if (!('N' in left) || !('N' in right)) throw validation(UPDATE_MESSAGES.wrongType);
      return { N: operand.op === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
    case 'size':
      throw new Error('internal: size() in an update');
  }
}

type SetType = 'SS' | 'NS' | 'BS';

function setKey(type: SetType, element: string): string {
  if (type === 'NS') return canonicalNumber(element);
  if (type === 'BS') return Buffer.from(element, 'base64').toString('base64');
  return element;
}

function setElements(value: AttributeValue): string[] {
  return (value as Record<SetType, string[]>)[typeOf(value) as SetType];
}

function addTo(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (existing === undefined) return cloneValue(value);
  const type = typeOf(value);
  if (typeOf(existing) !== type) throw validation(UPDATE_MESSAGES.wrongType);
  if (type === 'N') return { N: addNumbers((existing as { N: string }).N, (value as { N: string }).N) };
  const keys = new Set(setElements(existing).map((e) => setKey(type as SetType, e)));
  const added = setElements(value).filter((e) => !keys.has(setKey(type as SetType, e)));
  return { [type]: [...setElements(existing), ...added] } as AttributeValue;
}

function deleteFrom(existing: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  const type = typeOf(value) as SetType;
  if (typeOf(existing) !== type) throw validation(UPDATE_MESSAGES.wrongType);
  const remove = new Set(setElements(value).map((e) => setKey(type, e)));
  const kept = setElements(existing).filter((e) => !remove.has(setKey(type, e)));
  return kept.length === 0 ? undefined : ({ [type]: kept } as AttributeValue);
}

/**
 * The positions of the SET actions when two or more set list elements: those after the rest, by
 * index, lowest first; undefined otherwise (every update of a run but a rare few: no array made).
 */
function elementSetOrder(actions: readonly Update['actions'][number][]): number[] | undefined {
  let elements = 0;
  for (const a of actions) if (a.kind === 'SET' && a.path[a.path.length - 1]!.kind === 'index') elements++;
  if (elements < 2) return undefined;
  const out: number[] = [];
  for (let i = 0; i < actions.length; i++) if (actions[i]!.kind === 'SET') out.push(i);
  const index = (i: number) => {
    const last = actions[i]!.path[actions[i]!.path.length - 1]!;
    return last.kind === 'index' ? last.index : -1;
  };
  // stable: names keep their order, first
  return out.sort((a, b) => index(a) - index(b));
}

/** Throws DynamoDB's error when an action's path starts at a key attribute. */
export function checkKeyUpdates(update: Update, keyAttributes: readonly string[]): void {
  for (const action of update.actions) {
    const first = action.path[0] as PathElement & { kind: 'name' };
    if (keyAttributes.includes(first.name)) throw validation(UPDATE_MESSAGES.keyAttribute(first.name));
  }
}

/**
 * Marks an update whose literal values belong to it alone (made for this one request and
 * referenced by nothing else): applying it stores those values without copying them. geosim's own
 * requests (src/sim/app-expressions.ts) are made so; a parsed request's values come from the
 * caller, who may still hold them, and are copied.
 */
const OWNED_VALUES = Symbol('geosim.ownedValues');

export function markOwnedValues(update: Update): Update {
  (update as { [OWNED_VALUES]?: true })[OWNED_VALUES] = true;
  return update;
}

function ownsValues(update: Update): boolean {
  return (update as { [OWNED_VALUES]?: true })[OWNED_VALUES] === true;
}

/**
 * The item after the update; `item` undefined = the item does not exist yet (the update creates it
 * from `key`). `keyAttributes` are the table's key names: updating one is a ValidationException.
 * The input item is not changed. The 400 KB limit is the caller's to check (`checkItemSize`).
 */
export function applyUpdate(update: Update, item: Item | undefined, key: Item, keyAttributes: readonly string[]): Item {
  checkKeyUpdates(update, keyAttributes);
  // read only (setValue copies what it takes), so the stored item itself serves: one copy, not two
  const original = item ?? key;
  const result = emptyMap();
  // for…in, not Object.keys: no array per update; own names only
  for (const name in original) if (Object.hasOwn(original, name)) result[name] = original[name]!;
  const draft = new Draft(result);
  // every SET value first, from the item before the update; then they are set
  const actions = update.actions;
  let removes: Path[] | undefined;
  const owned = ownsValues(update);
  // a value of its own the update may hand over as it is (`owned`): when every SET's is, they are
  // set straight from the actions (none can fail), without an array of them per update
  let handOver = owned;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.kind === 'SET' && a.value.kind !== 'value') handOver = false;
    else if (a.kind === 'REMOVE') (removes ??= []).push(a.path);
  }
  let values: (AttributeValue | undefined)[] | undefined;
  if (!handOver) {
    values = [];
    // any value the update does not own is copied (setValue)
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      values.push(a.kind === 'SET' ? (owned && a.value.kind === 'value' ? a.value.value : setValue(a.value, original)) : undefined);
    }
  }
  // list elements by index, lowest first: SETs past a list's end append in the order of their indexes, as DynamoDB does
  const order = elementSetOrder(actions);
  if (order === undefined) {
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (a.kind === 'SET') setAt(draft, a.path, values === undefined ? (a.value as Extract<Operand, { kind: 'value' }>).value : values[i]!);
    }
  } else for (const i of order) setAt(draft, actions[i]!.path, values === undefined ? ((actions[i] as Extract<UpdateAction, { kind: 'SET' }>).value as Extract<Operand, { kind: 'value' }>).value : values[i]!);

  // list elements last and from the highest index down, so every index means the list before the update
  const byIndexDescending = (a: Path, b: Path) => {
    const x = a[a.length - 1]!;
    const y = b[b.length - 1]!;
    return (x.kind === 'index' ? 1 : 0) - (y.kind === 'index' ? 1 : 0) || (x.kind === 'index' && y.kind === 'index' ? y.index - x.index : 0);
  };
  if (removes !== undefined && removes.length > 1) removes.sort(byIndexDescending);
  for (const path of removes ?? []) removeAt(draft, path);

  for (const action of update.actions) {
    if (action.kind === 'ADD') {
      setAt(draft, action.path, addTo(resolvePath(result, action.path), action.value));
    } else if (action.kind === 'DELETE') {
      const existing = resolvePath(result, action.path);
      if (existing === undefined) {
        // nothing to take from: fine, unless the path runs through something missing or wrong-typed (as REMOVE)
        checkParent(draft, action.path);
        continue;
      }
      const kept = deleteFrom(existing, action.value);
      if (kept === undefined) removeAt(draft, action.path);
      else setAt(draft, action.path, kept);
    }
  }
  return result;
}
