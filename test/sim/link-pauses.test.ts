import { describe, expect, it } from 'vitest';
import { LinkPauses } from '../../src/sim/link-pauses.js';

describe('LinkPauses: paused replication links and what they hold', () => {
  it('holds deliveries on a paused link only, and releases them in arrival order when it resumes', () => {
    const p = new LinkPauses<string>();
    p.pause('a', 'b');
    expect(p.isPaused('a', 'b')).toBe(true);
    expect(p.isPaused('b', 'a')).toBe(false);
    p.hold('a', 'b', 'w1');
    p.hold('a', 'b', 'w2');
    expect(p.heldCount).toBe(2);
    expect(p.takeReleased()).toEqual([]);
    expect(p.resume('a', 'b')).toBe(2);
    expect(p.heldCount).toBe(0);
    expect(p.isPaused('a', 'b')).toBe(false);
    expect(p.takeReleased()).toEqual(['w1', 'w2']);
    expect(p.takeReleased()).toEqual([]);
  });

  it('keeps a link paused until its last overlapping pause ends', () => {
    const p = new LinkPauses<string>();
    p.pause('a', 'b');
    p.pause('a', 'b');
    p.hold('a', 'b', 'w1');
    expect(p.resume('a', 'b')).toBe(0);
    expect(p.isPaused('a', 'b')).toBe(true);
    expect(p.resume('a', 'b')).toBe(1);
    expect(p.takeReleased()).toEqual(['w1']);
  });
});
