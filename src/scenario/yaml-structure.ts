import type { CST } from 'yaml';
import { MAX_NESTING } from './limits.js';

/** A problem found in the token stream, located by source offset. */
export interface OffsetProblem {
  offset: number;
  length: number;
  code: string;
  message: string;
  hint?: string;
}

/**
 * The tags of YAML's core schema, in the shorthand a file writes them. They only say what the
 * value already is (`!!str 123` makes a string); every other tag (`!!omap`, `!!set`,
 * `!!timestamp`, `!!binary`, local `!tags`) would change how a value is read, and yaml reads
 * those it does not know as an empty mapping, so a tagged assertion would silently vanish.
 */
const CORE_TAGS = ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'];
const ALLOWED_TAGS = new Set([...CORE_TAGS.map((t) => `!!${t}`), ...CORE_TAGS.map((t) => `!<tag:yaml.org,2002:${t}>`)]);


/**
 * Checks the parser's tokens before anything recursive sees them (composing, toJS and zod all
 * recurse per level): nesting deeper than MAX_NESTING is reported where it is first exceeded, and
 * every tag outside the core schema where it is written. Iterative, so any depth is safe here.
 */
export function structureProblems(tokens: readonly CST.Token[]): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  let tooDeep: number | undefined;
  const stack: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  const tagsIn = (list: readonly CST.Token[] | undefined) => {
    for (const t of list ?? []) {
      if (t.type === 'tag' && !ALLOWED_TAGS.has(t.source)) {
        problems.push({
          offset: t.offset,
          length: t.source.length,
          code: 'unsupported-tag',
          message: `unsupported tag ${t.source}: geosim reads plain mappings, lists and scalars`,
          hint: `remove the tag; only the core tags ${CORE_TAGS.map((c) => `!!${c}`).join(', ')} are accepted`,
        });
      }
    }
  };
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    switch (token.type) {
      case 'document':
        tagsIn(token.start);
        if (token.value) stack.push({ token: token.value, depth });
        break;
      case 'block-scalar':
        tagsIn(token.props);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const level = depth + 1;
        const offset = token.type === 'flow-collection' ? token.start.offset : token.offset;
        if (level > MAX_NESTING) {
          if (tooDeep === undefined || offset < tooDeep) tooDeep = offset;
          break;
        }
        for (const item of token.items) {
          tagsIn(item.start);
          tagsIn(item.sep);
          if (item.key) stack.push({ token: item.key, depth: level });
          if (item.value) stack.push({ token: item.value, depth: level });
        }
        break;
      }
      default:
        break;
    }
  }
  if (tooDeep !== undefined) return [nestingProblem(tooDeep)];
  return problems.sort((a, b) => a.offset - b.offset);
}

/**
 * Flow brackets nested this deep in the raw text: no scenario comes near it (the nesting limit is
 * MAX_NESTING), and yaml's parser slows down with the square of the depth (a 1 MB file of `[`
 * took 6 s), so such text is refused before it is parsed.
 */
export const RUNAWAY_FLOW_DEPTH = 1_000;

/**
 * A linear pre-scan of the raw text for runaway flow nesting (`[[[[…` or `{{{{…`): the offset where
 * the flow depth reaches RUNAWAY_FLOW_DEPTH, else undefined. Quoted strings and comments are
 * skipped; brackets inside plain or block scalars count, so the caller confirms on the tokens.
 */
export function runawayFlowNesting(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth >= RUNAWAY_FLOW_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x22 || c === 0x27) {
      // A quoted scalar: skip to its closing quote ('' and \" are escapes inside).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 0x22 && d === 0x5c) i++;
        else if (d === c) {
          if (c === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
          else break;
        }
      }
    } else if (c === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    }
  }
  return undefined;
}

export function nestingProblem(offset: number): OffsetProblem {
  return {
    offset,
    length: 1,
    code: 'too-deep',
    message: `nesting deeper than ${MAX_NESTING} levels of mappings and lists`,
    hint: `a scenario needs a few levels plus its item data (DynamoDB allows 32 levels in an attribute value); geosim stops at ${MAX_NESTING}`,
  };
}

/**
 * After aliases are resolved a value can nest deeper than its text (an alias inside a deep list
 * pointing at another deep list) or contain itself (`a: &a [*a]`): either would overflow the stack
 * of whatever walks it next. Returns the path to the first place too deep, or into a cycle.
 */
export function resolvedDepthProblem(data: unknown): { path: PropertyKey[]; cycle: boolean } | undefined {
  const isNode = (v: unknown): v is object => v !== null && typeof v === 'object';
  if (!isNode(data)) return undefined;
  /** Levels from a measured value down to its deepest descendant, the value itself counting 1. */
  const height = new Map<object, number>();
  const onPath = new Set<object>([data]);
  type Frame = { value: object; keys: string[]; next: number; key: PropertyKey };
  const frames: Frame[] = [{ value: data, keys: Object.keys(data), next: 0, key: '' }];
  const pathTo = (key: PropertyKey) => [...frames.slice(1).map((f) => f.key), key];
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!;
    if (top.next < top.keys.length) {
      const name = top.keys[top.next++]!;
      const key = Array.isArray(top.value) ? Number(name) : name;
      const child = (top.value as Record<string, unknown>)[name];
      if (!isNode(child)) continue;
      // The child sits at depth frames.length + 1.
      const measured = height.get(child);
      if (measured !== undefined) {
        if (frames.length + measured > MAX_NESTING) return { path: pathTo(key), cycle: false };
        continue;
      }
      if (onPath.has(child)) return { path: pathTo(key), cycle: true };
      if (frames.length + 1 > MAX_NESTING) return { path: pathTo(key), cycle: false };
      onPath.add(child);
      frames.push({ value: child, keys: Object.keys(child), next: 0, key });
      continue;
    }
    let h = 1;
    for (const name of top.keys) {
      const child = (top.value as Record<string, unknown>)[name];
      if (isNode(child)) h = Math.max(h, 1 + height.get(child)!);
    }
    height.set(top.value, h);
    onPath.delete(top.value);
    frames.pop();
  }
  return undefined;
}
