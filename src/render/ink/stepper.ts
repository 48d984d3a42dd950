// Where the stepper (`geosim run --step`) stands and how keys move it: pure, so the rules can be
// tested without a terminal; use-stepper.ts wires them to ink's input and a play timer.

export interface StepperState {
  /** The step shown, from 1; 0 only for an empty trace. */
  index: number;
  playing: boolean;
}

/** The keys the stepper reads besides printable characters (a subset of ink's `Key`). */
export interface StepperKey {
  escape?: boolean;
  rightArrow?: boolean;
  leftArrow?: boolean;
}

/** The stepper opens on the first step, paused. */
export function firstStep(total: number): StepperState {
  return { index: total > 0 ? 1 : 0, playing: false };
}

/**
 * The state after one input: space and → go forward, ← back (each pauses), p plays or pauses (at
 * the end, play starts over from the first step). A burst of keys (a held space bar, a pasted
 * string, tmux send-keys) arrives as one input string, so printable keys count one character at
 * a time, up to a q.
 */
export function afterKeys(state: StepperState, input: string, key: StepperKey, total: number): StepperState {
  const next = (s: StepperState, n: number): StepperState => ({ index: Math.min(total, Math.max(total > 0 ? 1 : 0, s.index + n)), playing: false });
  // quitting stops play: the frame left on the terminal does not say it plays on
  if (key.escape) return { ...state, playing: false };
  if (key.rightArrow) return next(state, 1);
  if (key.leftArrow) return next(state, -1);
  let s = state;
  for (const ch of input) {
    if (ch === 'q') return { ...s, playing: false };
    if (ch === ' ') s = next(s, 1);
    else if (ch === 'p') s = { index: s.index >= total ? Math.min(1, total) : s.index, playing: !s.playing };
  }
  return s;
}

/** Whether the input closes the stepper: escape, or a q among printable keys (not with an arrow). */
export function quits(input: string, key: StepperKey): boolean {
  if (key.escape) return true;
  if (key.rightArrow || key.leftArrow) return false;
  return input.includes('q');
}

/** One tick of play: the next step; at the last one play stops. */
export function played(state: StepperState, total: number): StepperState {
  return state.index >= total ? { ...state, playing: false } : { ...state, index: Math.min(total, state.index + 1) };
}
