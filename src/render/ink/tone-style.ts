import type { Tone } from '../step-view.js';

/**
 * The colour of each kind of step in the terminal view (ink colour names or `ansi256(n)`), one
 * distinct colour per tone so a reviewer can follow, say, every discarded write down the screen.
 * A new trace kind picks a tone in step-view.ts; a new tone adds one line here (the Record type
 * makes the compiler ask for it).
 */
export const TONE_COLOR: Record<Tone, string> = {
  event: 'cyan',
  retry: 'cyanBright',
  outcome: 'greenBright',
  duplicate: 'magenta',
  write: 'green',
  condition: 'yellow',
  sent: 'blue',
  applied: 'blueBright',
  discarded: 'red',
  coalesced: 'gray',
  repaired: 'magentaBright',
  read: 'white',
  'check-pass': 'ansi256(43)',
  'check-fail': 'redBright',
  'dead-letter': 'ansi256(208)',
  fault: 'yellowBright',
};

/** The legend's name for each tone, in reading order; the header lists the ones a run uses. */
export const TONE_LEGEND: Array<[Tone, string]> = [
  ['event', 'event'],
  ['retry', 'retry'],
  ['outcome', 'processed'],
  ['duplicate', 'duplicate'],
  ['write', 'write'],
  ['condition', 'condition failed'],
  ['sent', 'sent'],
  ['applied', 'applied'],
  ['discarded', 'discarded'],
  ['coalesced', 'coalesced'],
  ['repaired', 'repaired'],
  ['read', 'read'],
  ['fault', 'fault'],
  ['dead-letter', 'dead-letter'],
  ['check-pass', 'check passed'],
  ['check-fail', 'check failed'],
];
