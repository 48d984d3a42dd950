import { describe, expect, it } from 'vitest';
import { stepView } from '../../src/render/step-view.js';

// A transaction DynamoDB cancels has its failed items traced as condition-failed; an
// operation-failed naming a transaction is a request refused before any of it ran.
describe('stepView for refused and cancelled transactions', () => {
  it('says a transaction refused as a request was refused as a whole, not cancelled', () => {
    const refused = stepView({ seq: 1, kind: 'operation-failed', t: 1000, region: 'eu-west-1', itemId: 'ACCOUNT#A', op: 'update', error: { name: 'ValidationException', message: 'TransactWriteItems is not supported' }, current: { Id: 'ACCOUNT#A', balance: 100 }, transaction: 'tx1' });
    expect(refused.text).toBe('update ACCOUNT#A: ValidationException: TransactWriteItems is not supported (tx1 refused as a whole); holds balance=100');
  });

  it('says a transaction whose condition failed was cancelled', () => {
    const cancelled = stepView({ seq: 2, kind: 'condition-failed', t: 1000, region: 'eu-west-1', itemId: 'ACCOUNT#A', condition: 'balance = 100', current: { Id: 'ACCOUNT#A', balance: 70 }, transaction: 'tx1' });
    expect(cancelled.text).toBe('ACCOUNT#A: balance = 100 is false (tx1 cancelled); holds balance=70');
  });
});
