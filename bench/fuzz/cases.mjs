// Mutated scenario files for the loader and CLI fuzz (issue 10): every file of scenarios/ and
// test/corpus, changed by a few of: deleted, duplicated or swapped lines, changed indentation,
// random tokens, control characters, huge numbers, tags, deep nesting, key typos, truncation.
// Shared by bench/fuzz/run.mjs (npm run fuzz) and the fixed-seed sample in test/scenario.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';

/**
 * A directory to run the cases in: it holds the seed directories' other files (a scenario's merge
 * module, `strategy-custom.merge.ts`), which a case names relative to itself as its seed did, so a
 * valid case runs as its seed runs instead of failing on a module that is not there.
 */
export function caseDir(root) {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-fuzz-'));
  for (const seeds of ['scenarios', 'test/corpus']) {
    for (const entry of readdirSync(join(root, seeds), { withFileTypes: true })) {
      if (entry.isFile() && !/\.ya?ml$/.test(entry.name)) copyFileSync(join(root, seeds, entry.name), join(dir, entry.name));
    }
  }
  return dir;
}

export function seedFiles(root) {
  const out = [];
  for (const dir of ['scenarios', 'test/corpus']) {
    for (const name of readdirSync(join(root, dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      out.push({ name: `${dir}/${name}`, text: readFileSync(join(root, dir, name), 'utf8') });
    }
  }
  return out;
}

const TOKENS = ['[', ']', '{', '}', ':', '- ', ',', '"', "'", '#', '&a ', '*a', '? ', '|', '>', '---', '...', '%YAML 1.1', 'null', '~', 'true', '-1', '0', '1.5s', '2m', '"-1s"', 'us-east-1', 'eu-west-2', 'Id', '__proto__', 'constructor', 'toString', '<<: *a', '\t', '\\', '\u00a0', '\u202e', '\ufeff', '😀'];
const CONTROLS = ['\u0000', '\u0007', '\u0008', '\u001b[2J', '\u001b]0;title\u0007', '\u001b[31m', '\r', '\u007f', '\u0085', '\u009b'];
const HUGE = ['1e300', '-1e300', '9007199254740993', '1e21', '99999999999999', '"99999999999999m"', '"99999999999999s"', '.inf', '-.inf', '.nan', '0x7fffffff', '-0', '1e-300', '31536000001', '"525601m"', '123456789012345678901234567890'];
const TAGS = ['!!omap ', '!!set ', '!!timestamp ', '!!binary ', '!!str ', '!!int ', '!!float ', '!!map ', '!!seq ', '!!null ', '!foo ', '! ', '!<tag:yaml.org,2002:str> ', '!!python/object ', '!!pairs '];

const lineOf = (lines, n) => (lines.length === 0 ? 0 : n % lines.length);

/** One mutation: a function of the text, described for the report. */
const mutation = fc.oneof(
  fc.nat().map((n) => ({ what: 'delete line', apply: (l) => (l.length ? l.filter((_, i) => i !== lineOf(l, n)) : l) })),
  fc.nat().map((n) => ({ what: 'duplicate line', apply: (l) => (l.length ? [...l.slice(0, lineOf(l, n) + 1), l[lineOf(l, n)], ...l.slice(lineOf(l, n) + 1)] : l) })),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => ({
    what: 'swap lines',
    apply: (l) => {
      if (!l.length) return l;
      const c = [...l];
      const i = lineOf(l, a), j = lineOf(l, b);
      [c[i], c[j]] = [c[j], c[i]];
      return c;
    },
  })),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([n, d]) => ({
    what: `indent ${d}`,
    apply: (l) => l.map((line, i) => (i !== lineOf(l, n) ? line : d >= 0 ? ' '.repeat(d) + line : line.replace(new RegExp(`^ {0,${-d}}`), ''))),
  })),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...TOKENS)).map(([n, c, t]) => ({ what: `insert ${JSON.stringify(t)}`, apply: insertAt(n, c, t) })),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...CONTROLS)).map(([n, c, t]) => ({ what: `control ${JSON.stringify(t)}`, apply: insertAt(n, c, t) })),
  fc.tuple(fc.nat(), fc.constantFrom(...HUGE)).map(([n, h]) => ({ what: `number ${h}`, apply: replaceNth(/(?<=[:\[,]\s*)-?\d[\w.]*/g, n, h) })),
  fc.tuple(fc.nat(), fc.constantFrom(...TAGS)).map(([n, t]) => ({ what: `tag ${t.trim()}`, apply: replaceNth(/(?<=:\s)(?=\S)/g, n, t) })),
  fc.tuple(fc.nat(), fc.integer({ min: 30, max: 3000 }), fc.boolean()).map(([n, depth, flow]) => ({
    what: `nest ${depth} ${flow ? 'flow' : 'block'}`,
    apply: (l) => {
      const i = lineOf(l, n);
      const deep = flow ? `x: ${'['.repeat(depth)}1${']'.repeat(depth)}` : Array.from({ length: Math.min(depth, 400) }, (_, k) => `${' '.repeat(k)}k${k}:`).join('\n') + ' 1';
      return [...l.slice(0, i), deep, ...l.slice(i)];
    },
  })),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'double', 'swap', 'case')).map(([n, c, how]) => ({ what: `key typo ${how}`, apply: replaceNth(/[A-Za-z]+(?=:)/g, n, null, (key) => typo(key, c, how)) })),
  fc.nat().map((n) => ({ what: 'truncate', apply: (l) => { const text = l.join('\n'); return text.slice(0, n % (text.length + 1)).split('\n'); } })),
);

function insertAt(n, c, token) {
  return (l) => {
    if (!l.length) return [token];
    const i = lineOf(l, n);
    const col = c % (l[i].length + 1);
    return l.map((line, k) => (k === i ? line.slice(0, col) + token + line.slice(col) : line));
  };
}

/** Replaces the n-th match (mod count) of `re` in the whole text by `by`, or by `fn(match)`. */
function replaceNth(re, n, by, fn) {
  return (l) => {
    const text = l.join('\n');
    const matches = [...text.matchAll(re)];
    if (!matches.length) return l;
    const m = matches[n % matches.length];
    return (text.slice(0, m.index) + (fn ? fn(m[0]) : by) + text.slice(m.index + m[0].length)).split('\n');
  };
}

function typo(key, c, how) {
  const i = c % key.length;
  if (how === 'drop') return key.length > 1 ? key.slice(0, i) + key.slice(i + 1) : key + key;
  if (how === 'double') return key.slice(0, i) + key[i] + key.slice(i);
  if (how === 'swap') return i + 1 < key.length ? key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2) : key + 'x';
  return key.slice(0, i) + (key[i] === key[i].toUpperCase() ? key[i].toLowerCase() : key[i].toUpperCase()) + key.slice(i + 1);
}

const ENUMS = [
  ['client-lww', 'service-lww', 'version'],
  ['none', 'local', 'home-region'],
  ['direct', 'async', 'stream'],
  ['standard', 'express'],
  ['higher-region', 'lower-region'],
  ['eventual', 'strong'],
  ['throw', 'timeout'],
  ['true', 'false'],
];
const ENUM_WORDS = new RegExp(`(?<=:\\s*)(${ENUMS.flat().join('|')})\\b`, 'g');
const IN_RANGE = ['0', '1', '2', '7', '50', '999', '1000', '1500', '60000', '3600000', '86400000', '604800000', '31536000000', '"1.5s"', '"2m"', '"525600m"'];

/** Changes that often keep the file valid, so that runs of mutated scenarios are exercised too. */
const gentle = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...IN_RANGE)).map(([n, v]) => ({ what: `value ${v}`, apply: replaceNth(/(?<=[:\[,]\s*)\d[\w.]*/g, n, v) })),
  fc.tuple(fc.nat(), fc.nat()).map(([n, k]) => ({
    what: 'enum swap',
    apply: replaceNth(ENUM_WORDS, n, null, (word) => {
      const group = ENUMS.find((g) => g.includes(word));
      return group[k % group.length];
    }),
  })),
  fc.nat().map((n) => ({ what: 'drop a step', apply: (l) => { const steps = l.map((x, i) => [x, i]).filter(([x]) => /^ {2}- \{/.test(x)); return steps.length > 1 ? l.filter((_, i) => i !== steps[n % steps.length][1]) : l; } })),
);

/** A case: a seed file and 1 to 4 mutations, as text; a third of the cases only gentle ones. */
export function caseArbitrary(seeds) {
  const changes = fc.oneof({ arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }), weight: 2 }, { arbitrary: fc.array(gentle, { minLength: 1, maxLength: 3 }), weight: 1 });
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), changes).map(([s, ms]) => {
    let lines = seeds[s].text.split('\n');
    for (const m of ms) lines = m.apply(lines);
    return { seed: seeds[s].name, mutations: ms.map((m) => m.what), text: lines.join('\n') };
  });
}

export function cases(seeds, numRuns, seed) {
  return fc.sample(caseArbitrary(seeds), { numRuns, seed });
}
