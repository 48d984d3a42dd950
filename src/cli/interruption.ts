/**
 * The first Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal closed, an SSH session dropped) of a
 * long command, taken as "stop and report": `signal`
 * names it once it came. One listener per signal serves every command running in the process (a
 * program that calls `main` many times at once adds no listener per call), and listening ends
 * with the first signal, so a second one ends the process as usual.
 */
export interface Interruption {
  /** `SIGINT`, `SIGTERM` or `SIGHUP` once one came, else undefined. */
  readonly signal: string | undefined;
  /** Stops listening (the command is over). */
  close(): void;
}

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];
const waiting = new Set<(signal: string) => void>();

function onSignal(signal: string): void {
  const told = [...waiting];
  waiting.clear();
  detach();
  for (const tell of told) tell(signal);
}

function attach(): void {
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
}

function detach(): void {
  for (const name of STOP_SIGNALS) process.off(name, onSignal);
}

export function listenForInterruption(): Interruption {
  let signal: string | undefined;
  const tell = (name: string) => {
    signal = name;
  };
  if (waiting.size === 0) attach();
  waiting.add(tell);
  return {
    get signal() {
      return signal;
    },
    close() {
      if (waiting.delete(tell) && waiting.size === 0) detach();
    },
  };
}

/** The conventional exit code of a process a signal ended: 128 + its number (SIGHUP 129, SIGINT 130, SIGTERM 143). */
export function interruptedExit(signal: string): number {
  return signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : 130;
}

/**
 * One turn of the event loop, so that a signal that came gets to its listener: runs of the
 * built-in application settle as microtasks, which never let one in.
 */
export function letSignalsIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
