/**
 * Why a file could not be written, in words a user reads without looking up an errno: what every
 * output flag (`-o`, `--out`, `--report-dir`, `--conflicts`, `--trace`) says after "cannot write X".
 */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'ENOENT':
      return 'a directory on its path is missing, or no file can be made there';
    case 'ENAMETOOLONG':
      return 'its name is too long';
    case 'ELOOP':
      return 'too many symbolic links on its path';
    case 'EBUSY':
      return 'the file is busy';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory';
    case undefined:
      return error instanceof Error ? error.message : String(error);
    default:
      return `the system refused it (${code})`;
  }
}
