import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** The repository root: relative paths in argv (`scenarios/concurrent.yaml`) resolve against it. */
export const ROOT = join(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written; `isTTY` is unset, as for a pipe or a CI log, unless `tty` asks. */
class Captured extends Writable {
  text = '';
  constructor() {
    // A high-water mark beyond any test's output: writes never wait for 'drain'.
    super({ decodeStrings: false, highWaterMark: 1 << 30 });
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * `geosim <argv>` in this process, through `main(argv, io)`: what a user sees on stdout and stderr
 * and the exit code, without spawning node. `env` is the command's whole environment (not merged
 * with process.env), so a test states what it depends on.
 */
export async function geosim(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean; columns?: number } = {}): Promise<CliResult> {
  const stdout = new Captured();
  // A terminal as far as geosim asks (run picks its view by isTTY), 120 columns unless `columns` says; the bytes are still captured.
  if (options.tty || options.columns !== undefined) Object.assign(stdout, { isTTY: true, columns: options.columns ?? 120 });
  const stderr = new Captured();
  const code = await main(argv, { stdout, stderr, env: options.env ?? {}, cwd: options.cwd ?? ROOT });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Writes `content` to a new file `name` in a fresh temporary directory; returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'geosim-cli-')), name);
  writeFileSync(file, content);
  return file;
}

/** The last line of an output, where geosim prints its closing "N passed, N failed". */
export const lastLine = (text: string): string | undefined => text.trimEnd().split('\n').at(-1);
