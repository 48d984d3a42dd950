import { lstat, mkdir, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { EnvironmentError, UserError } from '../errors.js';
import { writeFailure } from './io-words.js';

let counter = 0;

/**
 * Writes a file so that readers see either the old bytes or the new ones, never half a file:
 * the bytes go to a temporary file in the same directory (same filesystem), then `rename`
 * replaces the target in one step.
 */
export async function writeFileAtomic(given: string, data: string | Uint8Array): Promise<void> {
  const path = await writeTarget(given);
  // A device, pipe or socket (`-o /dev/stdout`, a FIFO a script reads) is written to, never
  // replaced by a renamed file: a rename would put a regular file where the device was.
  const target = await stat(path).catch(() => undefined);
  if (target !== undefined && !target.isFile() && !target.isDirectory()) return writeFile(path, data);
  const dir = dirname(path);
  await makeDirectory(dir);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    // (where the file could not be made, neither can its temporary one be looked at: ENOTDIR)
    await rm(temp, { force: true }).catch(() => {});
    // the message names the file the caller asked for, not the temporary one beside it
    if (error instanceof Error && error.message.includes(temp)) error.message = error.message.replaceAll(temp, path);
    throw error;
  }
}

/** Links followed at most, as the kernel's own limit (ELOOP) for a path. */
const MAX_LINKS = 40;

/**
 * The file a write to `path` lands on: `path` itself, or, when it is a symbolic link, the file it
 * names (through every link, a dangling one included, as `>` in a shell writes). A rename onto
 * the link itself would replace it with a regular file: a `latest.html` link kept pointing at a
 * dated report, or an output linked into another folder, stopped being a link.
 */
export async function writeTarget(path: string): Promise<string> {
  let target = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    const info = await lstat(target).catch(() => undefined);
    if (info === undefined || !info.isSymbolicLink()) return target;
    target = resolve(dirname(target), await readlink(target));
  }
  // a loop of links: the error the shell's own write gives (renaming onto the link would end the loop, and the link)
  throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, open '${path}'`), { code: 'ELOOP', path });
}

/**
 * `mkdir -p`, one level at a time. Node's own `mkdir(dir, { recursive: true })` never returns for a
 * new directory under a file system that refuses it with ENOENT, such as /proc (it retries for
 * ever); here the ENOENT of a directory whose parent exists ends the climb as the error it is.
 */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeDirectory(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/**
 * A command's output file, written atomically: a path that cannot be written is the user's
 * output flag (exit 2, a part of it is a file) or the machine's (exit 3). `command` and `flag`
 * name them in the message, e.g. `geosim diagram` and `--out`.
 */
export async function writeOutputFile(path: string, data: string | Uint8Array, command: string, flag: string): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new UserError(`${command}: cannot write ${path}: a part of the ${flag} path is a file, not a directory`);
    throw new EnvironmentError(`${command}: cannot write ${path}: ${writeFailure(error)}`, { cause: error });
  }
}

/** A written path as `wrote` lines show it: relative to cwd when inside it, else as it is. */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
