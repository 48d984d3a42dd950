import { describe, expect, it } from 'vitest';
import { and, equals, exists, lessThan, notExists, or } from '../../../src/app/condition.js';
import { ExpressionBuilder, updateExpression } from '../../../src/backends/dynamodb/expression.js';
import { parseCondition } from '../../../src/dynamodb/expressions/parser.js';

describe('ExpressionBuilder', () => {
  it('puts every attribute name and value behind a placeholder', () => {
    const b = new ExpressionBuilder();
    const text = b.condition(and(notExists('Id'), equals('Version', 3), lessThan('aws:rep:updatetime', 10)));
    expect(text).toBe('(attribute_not_exists(#n0)) AND (#n1 = :v0) AND (#n2 < :v1)');
    expect(b.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'Id', '#n1': 'Version', '#n2': 'aws:rep:updatetime' },
      ExpressionAttributeValues: { ':v0': { N: '3' }, ':v1': { N: '10' } },
    });
  });

  it('reuses the placeholder of a name used twice and nests OR inside AND', () => {
    const b = new ExpressionBuilder();
    const text = b.condition(or(exists('Version'), and(equals('Version', 'x'), equals('Data', { a: [1, null, true] }))));
    expect(text).toBe('(attribute_exists(#n0)) OR ((#n0 = :v0) AND (#n1 = :v1))');
    expect(b.attributes().ExpressionAttributeValues).toEqual({
      ':v0': { S: 'x' },
      ':v1': { M: { a: { L: [{ N: '1' }, { NULL: true }, { BOOL: true }] } } },
    });
  });

  it('spells an empty AND as always true and an empty OR as always false', () => {
    const b = new ExpressionBuilder();
    expect(b.condition(and())).toBe('(attribute_exists(#n0) OR attribute_not_exists(#n0))');
    expect(b.condition(or())).toBe('(attribute_exists(#n0) AND attribute_not_exists(#n0))');
  });

  it('puts no group in parentheses again, which DynamoDB refuses as redundant (an AND of one AND gave `((…))`)', () => {
    const conditions = [and(and(exists('A'))), and(or()), or(and(), exists('B')), and(or(and(equals('A', 1)))), and(exists('A'), and(exists('B'), exists('C')))];
    const texts = conditions.map((c) => new ExpressionBuilder().condition(c));
    expect(texts).toEqual([
      '(attribute_exists(#n0))',
      '(attribute_exists(#n0) AND attribute_not_exists(#n0))',
      '(attribute_exists(#n0) OR attribute_not_exists(#n0)) OR (attribute_exists(#n1))',
      '(#n0 = :v0)',
      '(attribute_exists(#n0)) AND ((attribute_exists(#n1)) AND (attribute_exists(#n2)))',
    ]);
    for (const text of texts) expect(() => parseCondition(text, 'ConditionExpression')).not.toThrow();
  });

  it('omits empty placeholder maps, which DynamoDB rejects', () => {
    expect(new ExpressionBuilder().attributes()).toEqual({});
  });
});

describe('updateExpression', () => {
  it('writes SET and ADD clauses', () => {
    const b = new ExpressionBuilder();
    expect(updateExpression(b, { Status: 'open', Version: 2 }, { Count: 1 })).toBe('SET #n0 = :v0, #n1 = :v1 ADD #n2 :v2');
  });

  it('returns undefined when nothing changes', () => {
    expect(updateExpression(new ExpressionBuilder(), {}, {})).toBeUndefined();
  });
});
