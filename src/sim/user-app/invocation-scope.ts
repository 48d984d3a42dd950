import { AsyncLocalStorage } from 'node:async_hooks';

/** One event an invocation handles (a batch holds several): what its attempt did. */
export interface HandledEvent {
  eventId: string;
  /** Successful table writes and recorded SQS/SNS/EventBridge calls made for it in this attempt. */
  effects: number;
}

/** One invocation of a team's handler, as the code it runs sees it through AsyncLocalStorage. */
export interface Invocation {
  region: string;
  /** Traced on writes no single event can claim (a stream batch, module-scope code). */
  cause: string;
  /** Set once the invocation is over (returned, failed or timed out): later calls are stale. */
  ended: boolean;
  /** A call geosim refused (an unmodelled service, the network): the invocation fails with it even if the handler caught it. */
  refusal: string | undefined;
  /** Ends the invocation as failed at once: its code threw where nothing could catch it (a timer callback, an unhandled rejection). */
  crash(error: unknown): void;
  /** Ends the invocation as failed at once with Runtime.ExitError: its code called `process.exit` (whatever caught the throw). */
  exit(error: Error): void;
  /** Names it in a watchdog's message: function, region, event. */
  label: string;
  /** Whether its execution environment is frozen now (it ended, and no other invocation runs there). */
  frozen(): boolean;
  /** Around a request geosim serves: on the wall clock its time is not the handler's (see WallDeadline). */
  pauseClock(): void;
  resumeClock(): void;
}

/** Invocations started and not yet ended, oldest first: an error nothing can attribute goes to the latest. */
const running: Invocation[] = [];

export function invocationStarted(invocation: Invocation): void {
  running.push(invocation);
}

export function invocationEnded(invocation: Invocation): void {
  const i = running.indexOf(invocation);
  if (i >= 0) running.splice(i, 1);
}

/** The invocation most recently started that has not ended, if any. */
export function latestInvocation(): Invocation | undefined {
  return running[running.length - 1];
}

/**
 * An error thrown where the handler cannot catch it (a timer callback) or a rejection nobody
 * handled: in Lambda the runtime crashes and the invocation fails (see crashTarget).
 */
export function crashInvocation(error: unknown): boolean {
  const invocation = crashTarget();
  if (invocation && !invocation.ended) {
    invocation.crash(error);
    return true;
  }
  // Its invocation is over (a timer that fired after the handler returned): nothing to fail, so
  // the run reports it (UserApplication.lateError).
  if (!lateErrors) return false;
  lateErrors(error, invocation);
  return true;
}

/**
 * The invocation an uncaught error ends: its code's own while it runs; else the one its execution
 * environment runs now (the process is one: an error of a timer or promise an earlier invocation
 * or the module scope left behind ends it); for code of no environment (geosim's own callbacks),
 * the latest one running anywhere. Undefined, or an ended one, when none can take it.
 */
function crashTarget(): Invocation | undefined {
  const own = invocationScope.getStore()?.invocation;
  if (own !== undefined && !own.ended) return own;
  const environment = environmentScope.getStore();
  if (environment === undefined) return own ?? latestInvocation();
  const running = environment.running();
  return running !== undefined && !running.ended ? running : own;
}

/** Where an error of a team's code that no running invocation can take is reported (one run at a time). */
let lateErrors: ((error: unknown, invocation: Invocation | undefined) => void) | undefined;

export function reportLateErrorsTo(reporter: ((error: unknown, invocation: Invocation | undefined) => void) | undefined): void {
  lateErrors = reporter;
}

/** A record of an SQS batch of several, and what names its event (see batch-attribution.ts). */
export interface BatchRecord {
  event: HandledEvent;
  /** The event's id and idempotency key: names only it can have. */
  ids: readonly string[];
  /** The item it is about, which another record of the batch may share. */
  items: readonly string[];
}

/** The store: the invocation, and the event its code is working on now (see `enterEvent`). */
export interface InvocationStore {
  invocation: Invocation;
  event: HandledEvent | undefined;
  /** An SQS batch of several records: what each one's event is named by (see eventFor). */
  batch?: readonly BatchRecord[] | undefined;
}

/**
 * Which invocation, and which of its events, the code running now belongs to. Invocations in two
 * regions interleave in virtual time, so a global "current event" would be wrong after any wait;
 * AsyncLocalStorage follows the handler's own promises and (bound) timers instead.
 */
export const invocationScope = new AsyncLocalStorage<InvocationStore>();

/** An execution environment, as the code running in it sees it: the invocation it runs now, if any. */
export interface EnvironmentStore {
  running(): Invocation | undefined;
  /** Virtual ms of its cold start: what its `process.uptime()` counts from. */
  readonly startedAt: number;
  /** The region of the function it belongs to: where an error its module scope left behind is reported. */
  readonly region: string;
}

/**
 * Which execution environment the code running now belongs to: its module scope and every
 * invocation run in it, with the timers and promises they leave behind. An uncaught error ends
 * the environment's process, so it fails the invocation running there, whoever's code threw.
 */
export const environmentScope = new AsyncLocalStorage<EnvironmentStore>();

/** When the execution environment running the current code started (virtual ms; 0 outside any). */
export function environmentStartedAt(): number {
  return environmentScope.getStore()?.startedAt ?? 0;
}

/**
 * Attributes what the code does from here on to `event`: called when a batch handler reads a
 * record's body, so a loop over `event.Records` (sequential or `Promise.all`) credits each write
 * to the record it was reading. `enterWith` changes the store for the rest of this synchronous
 * run and for every promise and timer created after it.
 */
export function enterEvent(event: HandledEvent): void {
  const store = invocationScope.getStore();
  if (store === undefined || store.event === event) return;
  invocationScope.enterWith({ invocation: store.invocation, event, batch: store.batch });
}
