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
      return 'a directory on its path does not exist and cannot be made there';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory';
    case undefined:
      return error instanceof Error ? error.message : String(error);
    default:
      return code;
  }
}
