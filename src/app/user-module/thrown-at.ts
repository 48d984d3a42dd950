/**
 * Where in a team's own code an error was thrown, for the one-line messages that report it: the
 * first frame of its stack in a file of the team's that went into the bundle (not a package in
 * node_modules, not Node's or geosim's code), relative to the module's directory, with the line
 * and column in that file, e.g. `helper.ts:3:12`. A relative path and the source's own line and
 * column are the same on every machine, so traces still compare byte for byte.
 *
 * Frames come mapped when Node formats the stack (the loader registered the bundle's source map);
 * a test runner that formats stacks itself (vitest, jest) leaves them at the bundle's lines, so
 * those are mapped here through the same map: a library run in a test names the same place.
 */
import { findSourceMap, type SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFilename } from './bundle.js';

/** `    at fn (file:line:col)` or `    at file:line:col` (file a path or a file: URL). */
const FRAME = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/** `file:line:col` of the first frame in the team's own files, relative to the module's directory; undefined when none is. */
export function thrownAt(error: unknown, modulePath: string): string | undefined {
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown }).stack;
  } catch {
    return undefined; // a getter that throws: the message stands alone
  }
  if (typeof stack !== 'string') return undefined;
  const bundle = bundleFilename(modulePath);
  const map = findSourceMap(bundle);
  if (map === undefined) return undefined;
  const teamFiles = teamFilesOf(map);
  for (const line of stack.split('\n')) {
    const frame = FRAME.exec(line);
    if (frame === null) continue;
    let file = fileOf(frame[1]!);
    let at = { line: Number(frame[2]), column: Number(frame[3]) };
    if (file === bundle) {
      // findEntry counts from 0, stack frames from 1.
      const entry = map.findEntry(at.line - 1, at.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (entry.originalSource === undefined) continue;
      file = fileOf(entry.originalSource);
      at = { line: entry.originalLine! + 1, column: entry.originalColumn! + 1 };
    }
    if (file === undefined || !teamFiles.has(file)) continue;
    return `${relative(dirname(modulePath), file).split(sep).join('/')}:${at.line}:${at.column}`;
  }
  return undefined;
}

/** The team's own files of a bundle's source map, once per map (a run that fails thousands of attempts reads them once). */
const teamFilesByMap = new WeakMap<SourceMap, ReadonlySet<string>>();

function teamFilesOf(map: SourceMap): ReadonlySet<string> {
  let files = teamFilesByMap.get(map);
  if (files === undefined) {
    files = new Set(map.payload.sources.map(fileOf).filter((file): file is string => file !== undefined && !file.includes(`${sep}node_modules${sep}`)));
    teamFilesByMap.set(map, files);
  }
  return files;
}

/** A frame's or a source map's file as a path; undefined for node:internal, <anonymous> and the like. */
function fileOf(location: string): string | undefined {
  if (!location.startsWith('file:')) return isAbsolute(location) ? location : undefined;
  try {
    return fileURLToPath(location);
  } catch {
    return undefined;
  }
}
