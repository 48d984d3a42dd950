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
}

/** The store: the invocation, and the event its code is working on now (see `enterEvent`). */
export interface InvocationStore {
  invocation: Invocation;
  event: HandledEvent | undefined;
}

/**
 * Which invocation, and which of its events, the code running now belongs to. Invocations in two
 * regions interleave in virtual time, so a global "current event" would be wrong after any wait;
 * AsyncLocalStorage follows the handler's own promises and (bound) timers instead.
 */
export const invocationScope = new AsyncLocalStorage<InvocationStore>();

/**
 * Attributes what the code does from here on to `event`: called when a batch handler reads a
 * record's body, so a loop over `event.Records` (sequential or `Promise.all`) credits each write
 * to the record it was reading. `enterWith` changes the store for the rest of this synchronous
 * run and for every promise and timer created after it.
 */
export function enterEvent(event: HandledEvent): void {
  const store = invocationScope.getStore();
  if (store === undefined || store.event === event) return;
  invocationScope.enterWith({ invocation: store.invocation, event });
}
