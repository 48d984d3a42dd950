/** The harness's normalisation of DynamoDB Local's known deviations stays narrow (docs/dynamodb-local-deviations.md). */
import { describe, expect, it } from 'vitest';
import { normaliseLocal, type Op, type Outcome } from './differential.js';

const tx: Op = { op: 'TransactWriteItems', input: { TransactItems: [] } };
const cap = (units: number, table = units) => ({ ok: { ConsumedCapacity: [{ TableName: 'Diff', CapacityUnits: units, Table: { CapacityUnits: table } }] } });

describe('normaliseLocal', () => {
  it('takes a transaction capacity from the model only when Local charged less and the rest agrees', () => {
    const [m1, l1] = [[cap(4)], [cap(2)]] as Outcome[][];
    normaliseLocal(tx, m1!, l1!);
    expect(l1).toEqual(m1);
    const [m2, l2] = [[cap(2)], [cap(4)]] as Outcome[][];
    normaliseLocal(tx, m2!, l2!);
    expect(l2).toEqual([cap(4)]);
    const [m3, l3]: Outcome[][] = [[{ ok: { ...cap(4).ok, Extra: 1 } }], [cap(2)]];
    normaliseLocal(tx, m3!, l3!);
    expect(l3).toEqual([cap(2)]);
  });

  it('canonicalises only numbers with trailing fractional zeros', () => {
    const local: Outcome[] = [{ ok: { Item: { a: { N: '1.0' }, b: { N: '-2.50' }, c: { N: '100' }, d: { NS: ['"3.0"', '"10"'] } } } }];
    normaliseLocal({ op: 'GetItem', input: {} }, [], local);
    expect(local).toEqual([{ ok: { Item: { a: { N: '1' }, b: { N: '-2.5' }, c: { N: '100' }, d: { NS: ['"10"', '"3"'] } } } }]);
  });

  it('drops the model’s empty last page only when Limit ended on the BETWEEN bound', () => {
    const query = (forward: boolean): Op => ({ op: 'Query', input: { KeyConditionExpression: 'pk = :p AND sk BETWEEN :s AND :t', ExpressionAttributeValues: { ':s': { N: '1' }, ':t': { N: '3' } }, ScanIndexForward: forward, Limit: 1 } });
    const pages = (sk: string): Outcome[] => [{ ok: { Count: 1, ScannedCount: 1, LastEvaluatedKey: { pk: { S: 'a' }, sk: { N: sk } } } }, { ok: { Count: 0, ScannedCount: 0 } }];
    const local: Outcome[] = [{ ok: { Count: 1, ScannedCount: 1 } }];
    const onBound = pages('3');
    normaliseLocal(query(true), onBound, local);
    expect(onBound).toEqual(local);
    const offBound = pages('2');
    normaliseLocal(query(true), offBound, local);
    expect(offBound).toEqual(pages('2'));
    const backward = pages('3');
    normaliseLocal(query(false), backward, local);
    expect(backward).toEqual(pages('3'));
  });
});
