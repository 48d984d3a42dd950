/**
 * The first Ctrl-C (SIGINT) or SIGTERM of a long command, taken as "stop and report": `signal`
 * names it once it came. Listening ends with it, so a second one ends the process as usual (130).
 */
export interface Interruption {
  /** `SIGINT` or `SIGTERM` once one came, else undefined. */
  readonly signal: string | undefined;
  /** Stops listening (the command is over). */
  close(): void;
}

export function listenForInterruption(): Interruption {
  let signal: string | undefined;
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  const close = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  function stop(name: string): void {
    signal = name;
    close();
  }
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return {
    get signal() {
      return signal;
    },
    close,
  };
}

/** The conventional exit code of a process ended by Ctrl-C (128 + SIGINT's number). */
export const INTERRUPTED_EXIT = 130;
