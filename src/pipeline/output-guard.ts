import { realpathSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { printable } from '../scenario/printable.js';
import { UserError } from '../errors.js';

/** A path as the file system names it: through symlinks when it exists, else as resolved. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** What is at a path, or undefined when nothing can be (missing, a file where a folder should be, no permission). */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output path that names one of the inputs (a scenario, a recorded run): writing there
 * would replace the very file the user asked geosim to read, and nothing would be left to run
 * again. Checked before anything is written. Exit 2.
 */
export function refuseInputAsOutput(flag: string, output: string, inputs: readonly string[], cwd: string): void {
  const target = canonical(resolve(cwd, output));
  // the same file under another name: a hard link (same device and inode)
  const node = statOrUndefined(target);
  const sameFile = (path: string) => {
    if (path === target) return true;
    if (node === undefined) return false;
    const other = statOrUndefined(path);
    return other !== undefined && other.dev === node.dev && other.ino === node.ino;
  };
  const input = inputs.find((file) => sameFile(canonical(resolve(cwd, file))));
  if (input === undefined) return;
  throw new UserError(`geosim: ${flag} ${printable(output)} is the input ${printable(input)}: writing there would replace it; choose another path`);
}
