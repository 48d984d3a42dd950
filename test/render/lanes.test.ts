import { describe, expect, it } from 'vitest';
import type { StepView } from '../../src/render/step-view.js';
import { laneCells, shortRegionNames } from '../../src/render/lanes.js';
import { TONE_COLOR } from '../../src/render/ink/tone-style.js';
import { laneLayout } from '../../src/render/ink/layout.js';

const step = (over: Partial<StepView>): StepView => ({ seq: 1, t: 0, region: 'eu-west-1', tone: 'write', label: 'WRITE', text: '', ...over });
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

describe('lanes', () => {
  it('shortens AWS region names the usual way, and keeps names that would collide', () => {
    expect(shortRegionNames(regions)).toEqual({ 'us-east-1': 'use1', 'eu-west-1': 'euw1', 'ap-southeast-2': 'aps2' });
    expect(shortRegionNames(['eu-west-1', 'eu-wide-1'])).toEqual({ 'eu-west-1': 'eu-west-1', 'eu-wide-1': 'eu-wide-1' });
    expect(shortRegionNames(['a', 'b'])).toEqual({ a: 'a', b: 'b' });
  });

  it('puts a step in its region lane, a replicated write in flight, and a check in every lane', () => {
    const short = shortRegionNames(regions);
    expect(laneCells(step({}), regions, short)).toEqual({ regions: ['', 'WRITE', ''], flight: '' });
    expect(laneCells(step({ label: 'APPLY', from: 'us-east-1' }), regions, short)).toEqual({ regions: ['', 'APPLY ◂use1', ''], flight: '' });
    expect(laneCells(step({ label: 'SEND', from: 'us-east-1', inFlight: true }), regions, short)).toEqual({ regions: ['', '', ''], flight: 'SEND use1▸euw1' });
    expect(laneCells(step({ label: 'CHECK', region: '' }), regions, short).regions).toEqual(['CHECK', 'CHECK', 'CHECK']);
  });

  it('marks a fault of a link in the lanes of its two ends only, and none for a region without a lane (MRSC’s witness)', async () => {
    const { stepView } = await import('../../src/render/step-view.js');
    const short = shortRegionNames(regions);
    const fault = (kind: 'fault-started' | 'fault-ended', faultRegions: string[]) =>
      stepView({ seq: 1, t: 0, kind, index: 0, fault: 'pause-replication', description: 'replication paused', regions: faultRegions } as never);
    expect(laneCells(fault('fault-started', ['us-east-1', 'ap-southeast-2']), regions, short).regions).toEqual(['FAULT', '', 'FAULT']);
    expect(laneCells(fault('fault-ended', ['us-east-1', 'ap-southeast-2']), regions, short).regions).toEqual(['RECOVER', '', 'RECOVER']);
    expect(laneCells(fault('fault-started', ['eu-west-1', 'us-west-2']), regions, short).regions).toEqual(['', 'FAULT', '']);
    expect(laneCells(fault('fault-started', ['eu-west-1']), regions, short).regions).toEqual(['', 'FAULT', '']);
    expect(laneCells(fault('fault-started', []), regions, short).regions).toEqual(['FAULT', 'FAULT', 'FAULT']);
  });

  it('gives every tone its own colour', () => {
    const colours = Object.values(TONE_COLOR);
    expect(new Set(colours).size).toBe(colours.length);
  });

  it('fits the grid in the terminal width, going compact when full lanes leave too little room', () => {
    for (const columns of [200, 120, 80, 60, 44]) {
      const l = laneLayout(regions, columns);
      expect(l.time + regions.length * (l.lane + 1) + l.flight + 1 + l.detail + 1, `${columns} columns`).toBeLessThanOrEqual(columns);
    }
    expect(laneLayout(regions, 200)).toMatchObject({ compact: false });
    expect(laneLayout(regions, 200).lane).toBeGreaterThanOrEqual('ap-southeast-2'.length + 1);
    expect(laneLayout(regions, 80)).toMatchObject({ compact: true });
    expect(laneLayout(['us-east-1', 'eu-west-1'], 120)).toMatchObject({ compact: false });
    expect(laneLayout(['us-east-1', 'eu-west-1'], 60)).toMatchObject({ compact: true });
  });

  it('compact cells mark where a step happens and leave the label to the wording', () => {
    const short = shortRegionNames(regions);
    expect(laneCells(step({}), regions, short, true)).toEqual({ regions: ['', '●', ''], flight: '' });
    expect(laneCells(step({ label: 'APPLY', from: 'us-east-1' }), regions, short, true).regions[1]).toBe('◂use1');
    expect(laneCells(step({ label: 'SEND', from: 'us-east-1', inFlight: true }), regions, short, true).flight).toBe('use1▸euw1');
  });
});
