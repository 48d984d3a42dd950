import { describe, expect, it } from 'vitest';
import { formatItem } from '../../src/render/format-item.js';

describe('formatItem', () => {
  it("leaves out the built-in application's idempotency key beside an item's data", () => {
    expect(formatItem({ Id: 'ORDER#1', Data: { status: 'paid' }, Version: 2, LastUpdatedRegion: 'us-east-1', IdempotencyKey: 'k1' })).toBe('{status: paid} v2 by us-east-1');
  });

  it('shows an item that holds only an idempotency key (a team\'s own) by it, not as empty', () => {
    expect(formatItem({ Id: 'ORDER#1-b1', IdempotencyKey: 'b1' })).toBe('IdempotencyKey=b1');
    expect(formatItem({ Id: 'ORDER#1' })).toBe('{}');
  });
});
