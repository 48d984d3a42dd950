import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A frame's location in a chunk of the CLI's bundle (scripts/bundle-cli.mjs): `file:///…/dist/bundle/x.js:line:col`. */
const BUNDLE_FRAME = /(file:\/\/[^\s()]*\/dist\/bundle\/[^\s():]+\.js):(\d+):(\d+)/g;

/**
 * An internal error's stack with each frame in the CLI's bundle put back at its source file
 * (`src/sim/…ts:44:16`), so a bug report names code a reader can open: the bundle's chunks are
 * named by hash and a few long lines. Node would do this itself with source maps on, at a cost to
 * every start; this reads the maps only when an internal error is reported. A frame it cannot map
 * stays as it was.
 */
export function sourceStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(BUNDLE_FRAME, (frame, url: string, line: string, column: string) => {
    if (!maps.has(url)) maps.set(url, readMap(url));
    const entry = maps.get(url)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (entry === undefined || !('originalSource' in entry) || entry.originalSource === undefined) return frame;
    // the map names sources relative to the chunk (../../src/…): say them from the package's root
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function readMap(url: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
  } catch {
    return undefined;
  }
}
