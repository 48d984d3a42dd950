import { describe, expect, it } from 'vitest';
import { summarise, valueText } from '../../../src/render/mermaid/trace-text.js';

// A review found the diagram writing a map as JSON in the order the client sent it
// (data={"paymentId":…,"captured":30}), where every other view writes {captured: 30, paymentId: …}.
describe('values in diagram labels read as the text view writes them', () => {
  it('a map with its keys sorted at every depth, a list and a set without JSON quotes', () => {
    expect(valueText({ paymentId: 'PAYMENT#1', captured: 30, nested: { z: 1, a: [1, 'two words'] } })).toBe('{captured: 30, nested: {a: [1, "two words"], z: 1}, paymentId: PAYMENT#1}');
    expect(valueText(['book', 'lamp'])).toBe('[book, lamp]');
    expect(valueText('plain')).toBe('plain');
    expect(summarise({ Id: 'CART#5', items: ['book'], tags: { $SS: ['gift'] } })).toBe('items=[book] tags={$SS: [gift]}');
  });
});
