import { describe, expect, it } from 'vitest';
import { interruptedExit, listenForInterruption } from '../../src/cli/interruption.js';

describe('listening for Ctrl-C', () => {
  it('one listener per signal however many commands listen at once, none once they are over', () => {
    const before = stopListeners();
    const many = Array.from({ length: 20 }, () => listenForInterruption());
    expect(stopListeners()).toEqual(before.map((n) => n + 1));
    for (const listening of many) listening.close();
    many[0]!.close(); // twice: nothing more
    expect(stopListeners()).toEqual(before);
    expect(many.every((l) => l.signal === undefined)).toBe(true);
  });

  it('exits as a process the signal ended would: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP', () => {
    expect([interruptedExit('SIGINT'), interruptedExit('SIGTERM'), interruptedExit('SIGHUP')]).toEqual([130, 143, 129]);
  });

  it('a closed terminal (SIGHUP) stops a command as Ctrl-C does, and names it', () => {
    const listening = listenForInterruption();
    // as Node emits a signal: its name the listener's argument
    (process.emit as (event: string, ...args: unknown[]) => boolean)('SIGHUP', 'SIGHUP');
    expect(listening.signal).toBe('SIGHUP');
    listening.close();
  });
});

/** How many listeners the process has for each signal that stops a long command. */
function stopListeners(): number[] {
  return (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((name) => process.listenerCount(name));
}
