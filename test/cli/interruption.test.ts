import { describe, expect, it } from 'vitest';
import { interruptedExit, listenForInterruption } from '../../src/cli/interruption.js';

describe('listening for Ctrl-C', () => {
  it('one listener per signal however many commands listen at once, none once they are over', () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const many = Array.from({ length: 20 }, () => listenForInterruption());
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before.map((n) => n + 1));
    for (const listening of many) listening.close();
    many[0]!.close(); // twice: nothing more
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
    expect(many.every((l) => l.signal === undefined)).toBe(true);
  });

  it('exits as a process the signal ended would: 130 for SIGINT, 143 for SIGTERM', () => {
    expect([interruptedExit('SIGINT'), interruptedExit('SIGTERM')]).toEqual([130, 143]);
  });
});
