/** The streams and environment a command runs with; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Working directory for relative paths; defaults to process.cwd(). */
  cwd?: string;
  /** Standard input, for interactive views. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
}

/** Sets the process exit code; the highest code reported wins. */
export type SetExit = (code: number) => void;
