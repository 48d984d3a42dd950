import { describe, expect, it } from 'vitest';
import { afterKeys, firstStep, played, quits } from '../../../src/render/ink/stepper.js';

const RIGHT = { rightArrow: true };
const LEFT = { leftArrow: true };
const at = (index: number, playing = false) => ({ index, playing });

describe('stepper (where --step stands, and how keys move it)', () => {
  it('opens on the first step, paused; an empty trace on step 0', () => {
    expect(firstStep(5)).toEqual(at(1));
    expect(firstStep(0)).toEqual(at(0));
  });

  it('goes forward with space and →, back with ←, within the first and the last step', () => {
    expect(afterKeys(at(1), ' ', {}, 5)).toEqual(at(2));
    expect(afterKeys(at(2), '', RIGHT, 5)).toEqual(at(3));
    expect(afterKeys(at(3), '', LEFT, 5)).toEqual(at(2));
    expect(afterKeys(at(1), '', LEFT, 5)).toEqual(at(1));
    expect(afterKeys(at(5), '', RIGHT, 5)).toEqual(at(5));
    expect(afterKeys(at(0), ' ', {}, 0)).toEqual(at(0));
  });

  it('pauses when stepped by hand', () => {
    expect(afterKeys(at(2, true), ' ', {}, 5)).toEqual(at(3));
    expect(afterKeys(at(2, true), '', LEFT, 5)).toEqual(at(1));
  });

  it('plays and pauses with p; at the end, play starts over from the first step', () => {
    expect(afterKeys(at(2), 'p', {}, 5)).toEqual(at(2, true));
    expect(afterKeys(at(2, true), 'p', {}, 5)).toEqual(at(2));
    expect(afterKeys(at(5), 'p', {}, 5)).toEqual(at(1, true));
  });

  it('takes a burst of keys (a held space bar, tmux send-keys) one character at a time, up to a q', () => {
    expect(afterKeys(at(1), '   ', {}, 10)).toEqual(at(4));
    expect(afterKeys(at(1), ' p', {}, 10)).toEqual(at(2, true));
    expect(afterKeys(at(1), ' q  ', {}, 10)).toEqual(at(2));
    expect(afterKeys(at(1), 'x?', {}, 10)).toEqual(at(1));
  });

  it('an arrow key reads no characters', () => {
    expect(afterKeys(at(1), '   ', RIGHT, 10)).toEqual(at(2));
    expect(quits('q', RIGHT)).toBe(false);
  });

  it('quits on escape or a q, and escape moves nothing', () => {
    expect(quits('', { escape: true })).toBe(true);
    expect(afterKeys(at(3), '', { escape: true }, 5)).toEqual(at(3));
    expect(quits(' q', {})).toBe(true);
    expect(quits(' p', {})).toBe(false);
  });

  it('quitting while playing stops play, so the last frame does not say “▶ playing” (it did)', () => {
    expect(afterKeys(at(3, true), 'q', {}, 5)).toEqual(at(3));
    expect(afterKeys(at(3, true), '', { escape: true }, 5)).toEqual(at(3));
    expect(afterKeys(at(3), ' q', {}, 5)).toEqual(at(4));
  });

  it('while playing, each tick shows the next step and stops at the last', () => {
    expect(played(at(2, true), 5)).toEqual(at(3, true));
    expect(played(at(5, true), 5)).toEqual(at(5));
  });
});
