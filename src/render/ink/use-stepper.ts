import { useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { afterKeys, firstStep, played, quits, type StepperState } from './stepper.js';

/**
 * The stepper's position over `total` steps, moved by the keys (stepper.ts) and, while playing,
 * by a timer at `speed` steps per second. Escape or q ends the ink app. Ctrl-Z calls `onSuspend`:
 * in raw mode the terminal sends it as a key instead of stopping the process.
 */
export function useStepper(total: number, speed: number, onSuspend?: () => void): StepperState {
  const { exit } = useApp();
  const [state, setState] = useState(() => firstStep(total));
  const [quitting, setQuitting] = useState(false);

  useInput((input, key) => {
    if (key.ctrl && input === 'z') {
      // stopped, the stepper does not play on behind the shell's back
      setState((s) => ({ ...s, playing: false }));
      onSuspend?.();
      return;
    }
    setState((s) => afterKeys(s, input, key, total));
    if (quits(input, key)) setQuitting(true);
  });
  // ends once the quitting state (paused) is drawn: that frame is the one left on the terminal
  useEffect(() => {
    if (quitting) exit();
  }, [quitting, exit]);

  const { index, playing } = state;
  useEffect(() => {
    if (!playing) return undefined;
    // At the end, stop at once; else the next step after one step's time.
    if (index >= total) {
      setState((s) => played(s, total));
      return undefined;
    }
    const timer = setTimeout(() => setState((s) => played(s, total)), 1000 / speed);
    return () => clearTimeout(timer);
  }, [playing, index, total, speed]);

  return state;
}
