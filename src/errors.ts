/**
 * Exit codes belong to error types (DESIGN §4): 0 all passed, 1 an assertion failed,
 * 2 bad input (missing file, invalid scenario, bad flag), 3 a backend or environment failure.
 * Anything else that escapes is a bug and is reported with a stack.
 *
 * At the bottom of the import graph (it imports nothing of geosim): a backend or a renderer throws
 * these without reaching up into the CLI, which turns them into exit codes.
 */
export const ExitCode = {
  ok: 0,
  assertionFailed: 1,
  badInput: 2,
  environment: 3,
  bug: 70,
} as const;

/**
 * Where in a scenario a mistake found after it loaded lies: the setting (`['application',
 * 'handler']`), a problem code, and what was given among what could have been, for a "did you mean".
 */
export interface SettingAt {
  setting: readonly string[];
  code: string;
  given?: string;
  candidates?: readonly string[];
}

/** A mistake in what the user gave us: the message is the whole story, no stack trace. */
export class UserError extends Error {
  readonly exitCode = ExitCode.badInput;
  readonly setting: readonly string[] | undefined;
  readonly code: string | undefined;
  readonly given: string | undefined;
  readonly candidates: readonly string[] | undefined;
  constructor(message: string, at?: SettingAt) {
    super(message);
    this.name = 'UserError';
    this.setting = at?.setting;
    this.code = at?.code;
    this.given = at?.given;
    this.candidates = at?.candidates;
  }
}

/** A team's module that threw while its module scope ran: `thrown` is the error, on one line, without the module's name. */
export class ModuleInitError extends UserError {
  constructor(
    message: string,
    readonly thrown: string,
  ) {
    super(message, { setting: ['application', 'module'], code: 'module-threw' });
  }
}

/** A problem placed in a file (`file:line:col error[code] ...`, formatProblems). */
export const FILE_PROBLEM = /^\S[^\n]*:\d+:\d+ error\[/;

/**
 * A user mistake found while running one input (a team's module that cannot load): one line that
 * names the input, so a command with several inputs says which one and goes on with the others.
 */
export function inputError(file: string, error: UserError): string {
  // already placed at its line in the file (setting-locations.ts)
  if (FILE_PROBLEM.test(error.message)) return error.message;
  return `geosim: ${file}: ${error.message.replace(/^geosim: /, '')}`;
}

/** The backend or the machine failed (unreachable endpoint, no browser, no Java): exit 3. */
export class EnvironmentError extends Error {
  readonly exitCode = ExitCode.environment;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvironmentError';
  }
}

/**
 * A command stopped by a signal (a CI job cancelled, `timeout`, `docker stop`, Ctrl-C) whose work
 * under way failed because of it: one line, and the signal's conventional exit code (128 + its
 * number), not the failure it caused (a browser closed under a rendering is not the machine's).
 */
export class InterruptedError extends Error {
  readonly exitCode: number;
  constructor(
    message: string,
    readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP',
  ) {
    super(message);
    this.name = 'InterruptedError';
    this.exitCode = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
  }
}
