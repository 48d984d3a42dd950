/**
 * The `process` a handler module sees: its own `env` (the scenario's `application.env` and the
 * variables Lambda sets, per region), everything else the real process. Reads go to the real
 * process at the time of the call, so what virtual time installs (`process.hrtime`) is seen.
 */
import { MODEL_CREDENTIALS } from './dynamodb-facade.js';

export interface LambdaEnvironment {
  region: string;
  functionName: string;
  env: Record<string, string>;
}

/**
 * The variables a Lambda function's process has, over the scenario's (Lambda's reserved names win,
 * as on AWS). Object.assign, not a spread: on Node 20 a spread followed by these literal keys
 * measured 50 µs a call against 3 µs, and this runs per region per run.
 */
export function lambdaEnvironment(o: LambdaEnvironment): Record<string, string> {
  return Object.assign({}, o.env, {
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    AWS_LAMBDA_FUNCTION_NAME: o.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_ACCESS_KEY_ID: MODEL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MODEL_CREDENTIALS.secretAccessKey,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    // Lambda's; the process itself runs in UTC (the CLI from its start, a library run while it is in progress: installVirtualTime)
    TZ: ':UTC',
  });
}

/**
 * `output`, when given, is where the module's `process.stdout` and `process.stderr` write: a
 * function's output goes to its log stream in Lambda, never to its caller, and a logger that
 * writes to `process.stdout` (Powertools Logger does) would otherwise break geosim's
 * `--format json`. `process.exit` fails the invocation as Lambda's runtime does (Runtime.ExitError)
 * rather than ending geosim with no report.
 */
export function processView(env: Record<string, string>, output?: NodeJS.WritableStream, onExit?: (error: Error) => void): NodeJS.Process {
  const exit = (code?: number | string | null): never => {
    const error = exitError(code);
    // told first: a try/catch around the call catches the throw, but the runtime would be gone
    onExit?.(error);
    throw error;
  };
  const kill = (pid: number, signal?: string | number): true => {
    if (Number(pid) !== LAMBDA_PID && Number(pid) !== process.pid) return process.kill(pid, signal);
    // signal 0 asks whether the process is alive: it is
    if (signal === 0) return true;
    const error = new Error(`Runtime exited with error: signal: ${SIGNAL_WORDS[String(signal ?? 'SIGTERM')] ?? String(signal)}`);
    error.name = 'Runtime.ExitError';
    onExit?.(error);
    throw error;
  };
  return new Proxy(process, {
    get(target, property) {
      if (property === 'env') return env;
      // an execution environment's own, the same every run (ids built from them, cuid's, stay repeatable)
      if (property === 'pid') return LAMBDA_PID;
      if (property === 'ppid') return LAMBDA_PPID;
      // its own pid is the environment's: a signal to it ends the runtime, as process.exit does (it signalled the machine's pid 8)
      if (property === 'kill') return kill;
      if (property === 'exit') return exit;
      if (output !== undefined && (property === 'stdout' || property === 'stderr')) return output;
      return Reflect.get(target, property, target);
    },
    set(target, property, value) {
      if (property === 'env') return false;
      return Reflect.set(target, property, value, target);
    },
  });
}

/** How Lambda's runtime words the signal that ended it (Go's names: "signal: killed"). */
const SIGNAL_WORDS: Record<string, string> = { SIGTERM: 'terminated', SIGKILL: 'killed', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGABRT: 'aborted', '15': 'terminated', '9': 'killed', '2': 'interrupt' };

/** The process ids and host name a handler sees: fixed, not the machine's (a run's bytes must not depend on them). */
const LAMBDA_PID = 8;
const LAMBDA_PPID = 1;
const LAMBDA_HOSTNAME = '169.254.10.1';

/** The `os` module a handler sees: the real one, but its host name is an execution environment's, the same every run. */
export function osView(real: typeof import('node:os')): typeof import('node:os') {
  // own copies of every export, so a bundled `import { cpus } from 'os'` (esbuild copies own keys) finds them
  return Object.assign({}, real, { hostname: () => LAMBDA_HOSTNAME });
}

/** What `process.exit(code)` in a handler throws: Lambda's error for a runtime that exited. */
function exitError(code?: number | string | null): Error {
  const status = code === undefined || code === null ? Number(process.exitCode ?? 0) : Number(code);
  const error = new Error(status === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${status}`);
  error.name = 'Runtime.ExitError';
  return error;
}
