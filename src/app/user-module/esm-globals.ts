import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/**
 * Whether Node (and so Lambda) loads `file` as an ES module: a `.mjs` file, or a `.js` one whose
 * nearest package.json says `"type": "module"`. TypeScript is compiled by the team's build first,
 * whose output decides, so it is not judged here.
 */
export function loadedAsEsModule(file: string): boolean {
  const ext = extname(file);
  if (ext === '.mjs') return true;
  if (ext !== '.js') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/** CommonJS's own names, which an ES module does not have. */
const COMMONJS_NAMES = ['require', '__dirname', '__filename'] as const;

/**
 * The first use of `require`, `__dirname` or `__filename` in ES module source that would throw
 * `ReferenceError: ... is not defined in ES module scope` when Node loads it, with its line and
 * column (1-based); undefined when there is none. A name the file declares itself (the idioms
 * `const require = createRequire(import.meta.url)`, `const __dirname = ...`) or guards with
 * `typeof` is fine. Comments and string literals are blanked first, so words in them never count.
 */
export function commonJsNameUse(source: string): { name: string; line: number; column: number } | undefined {
  const code = withoutCommentsAndStrings(source);
  for (const name of COMMONJS_NAMES) {
    const declared = [
      `\\b(?:const|let|var|function|class)\\s+${name}\\b`, // const require = createRequire(...)
      `\\b(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`, // const { require } = ...
      `\\bfunction\\b[^(]*\\([^)]*\\b${name}\\b[^)]*\\)`, // function f(require) {...}
      `\\([^()]*\\b${name}\\b[^()]*\\)\\s*=>`, // (require) => ...
      `\\bimport\\s+${name}\\b|\\bas\\s+${name}\\b`, // import require from / { x as require }
      `\\btypeof\\s+${name}\\b`, // a guard: typeof require === 'function'
    ].some((pattern) => new RegExp(pattern).test(code));
    if (declared) continue;
    const use = new RegExp(`(?<![\\w$.])${name}(?![\\w$])${name === 'require' ? '\\s*\\(' : ''}`).exec(code);
    if (use === null) continue;
    const before = source.slice(0, use.index);
    const line = before.split('\n').length;
    return { name, line, column: use.index - before.lastIndexOf('\n') };
  }
  return undefined;
}

/** `source` with each comment and string literal's characters (not its newlines) replaced by spaces. */
function withoutCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  const blank = (from: number, to: number) => source.slice(from, to).replace(/[^\n]/g, ' ');
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    let end = -1;
    if (c === '/' && next === '/') end = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    else if (c === '/' && next === '*') end = source.indexOf('*/', i + 2) < 0 ? source.length : source.indexOf('*/', i + 2) + 2;
    else if (c === '"' || c === "'" || c === '`') {
      end = i + 1;
      while (end < source.length && source[end] !== c) end += source[end] === '\\' ? 2 : 1;
      end = Math.min(end + 1, source.length);
    }
    if (end < 0) {
      out += c;
      i++;
    } else {
      out += blank(i, end);
      i = end;
    }
  }
  return out;
}
