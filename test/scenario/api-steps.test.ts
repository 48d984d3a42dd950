import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';

/** Steps in DynamoDB syntax: what DynamoDB would refuse that the file alone shows, at its node (issue 11 item 8). */
function load(step: string) {
  return loadScenarioText(`regions: [us-east-1, eu-west-1]\nsteps:\n  - ${step}\n`, 'd.yaml');
}

function problems(step: string) {
  const result = load(step);
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, line: p.line, col: p.col, message: p.message, at: p.sourceLine!.slice(p.col - 1, p.col - 1 + p.length) }));
}

function request(step: string) {
  const result = load(step);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.scenario.steps[0]!;
}

const UPDATE = '{ at: 0, update: { region: us-east-1, key: { Id: A }, ';

describe('steps in DynamoDB syntax: what they become', () => {
  it('an update with key + expression is an UpdateItem request, values marshalled as DocumentClient does', () => {
    expect(request(`${UPDATE}expression: "SET #s = :s ADD #v :one", names: { '#s': status, '#v': Views }, values: { ':s': shipped, ':one': 1 }, condition: "attribute_exists(Id)" } }`)).toEqual({
      at: 0,
      index: 0,
      kind: 'request',
      region: 'us-east-1',
      request: {
        action: 'update',
        operation: 'UpdateItem',
        input: {
          TableName: 'GlobalEventTable',
          Key: { Id: { S: 'A' } },
          UpdateExpression: 'SET #s = :s ADD #v :one',
          ConditionExpression: 'attribute_exists(Id)',
          ExpressionAttributeNames: { '#s': 'status', '#v': 'Views' },
          ExpressionAttributeValues: { ':s': { S: 'shipped' }, ':one': { N: '1' } },
        },
      },
    });
  });

  it('a put with a string condition, or a typed value, is a PutItem; typed forms become sets and binary', () => {
    const put = request('{ at: 0, put: { region: eu-west-1, item: { Id: B, tags: { $SS: [a, b] }, n: { $N: "12345678901234567890123" }, bin: { $B: AQI= } }, condition: "attribute_not_exists(Id)" } }');
    expect(put).toMatchObject({ kind: 'request', request: { operation: 'PutItem', input: { Item: { Id: { S: 'B' }, tags: { SS: ['a', 'b'] }, n: { N: '12345678901234567890123' }, bin: { B: 'AQI=' } }, ConditionExpression: 'attribute_not_exists(Id)' } } });
    expect(request('{ at: 0, put: { region: eu-west-1, item: { Id: B, tags: { $NS: [1, 2] } } } }')).toMatchObject({ kind: 'request', request: { input: { Item: { tags: { NS: ['1', '2'] } } } } });
  });

  it('short forms stay short forms', () => {
    expect(request('{ at: 0, put: { region: eu-west-1, item: { Id: B, n: 1 } } }').kind).toBe('write');
    expect(request('{ at: 0, put: { region: eu-west-1, item: { Id: B }, condition: { notExists: Id } } }').kind).toBe('write');
    expect(request('{ at: 0, update: { region: eu-west-1, id: B, set: { a: 1 } } }').kind).toBe('write');
    expect(request('{ at: 0, delete: { region: eu-west-1, id: B } }').kind).toBe('write');
    expect(request('{ at: 0, read: { region: eu-west-1, item: B } }').kind).toBe('read');
  });

  it('delete, read with projection and query become DeleteItem, GetItem and Query; expectations get canonical typed forms', () => {
    expect(request(`{ at: 0, delete: { region: us-east-1, key: { Id: A }, condition: "Version < :v", values: { ':v': 3 } } }`)).toMatchObject({
      request: { operation: 'DeleteItem', input: { Key: { Id: { S: 'A' } }, ConditionExpression: 'Version < :v', ExpressionAttributeValues: { ':v': { N: '3' } } } },
    });
    const read = request(`{ at: 0, read: { region: us-east-1, key: { Id: A }, projection: "#s, tags", names: { '#s': status }, consistent: true, expect: { tags: { $SS: [b, a] }, n: 1.50 } } }`);
    expect(read).toMatchObject({ request: { operation: 'GetItem', input: { ProjectionExpression: '#s, tags', ConsistentRead: true } } });
    expect(JSON.parse(JSON.stringify(read))).toMatchObject({ request: { expect: { item: { tags: { $SS: ['a', 'b'] }, n: 1.5 } } } });
    expect(request(`{ at: 0, query: { region: us-east-1, index: IdempotencyIndex, key: "IdempotencyKey = :k", values: { ':k': k-1 }, limit: 10, forward: false, expect: { count: 1 } } }`)).toMatchObject({
      request: { operation: 'Query', input: { IndexName: 'IdempotencyIndex', KeyConditionExpression: 'IdempotencyKey = :k', Limit: 10, ScanIndexForward: false }, expect: { count: 1 } },
    });
  });
});

describe('steps in DynamoDB syntax: load-time errors with DynamoDB’s own messages, at the offending node', () => {
  it('a parse error, at the expression', () => {
    expect(problems(`${UPDATE}expression: "SET #s = ", names: { '#s': status } } }`)).toEqual([
      { code: 'dynamodb-refuses', line: 3, col: 71, at: '"SET #s = "', message: 'DynamoDB refuses this update (ValidationException): Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "' },
    ]);
  });

  it('a reserved word, at the expression', () => {
    expect(problems(`${UPDATE}expression: "ADD Views :one", values: { ':one': 1 } } }`)[0]).toMatchObject({
      col: 71,
      message: 'DynamoDB refuses this update (ValidationException): Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Views',
    });
  });

  it('a reserved word: the hint says how to name it with a placeholder, on GlobalEventTable and on a declared table', () => {
    const hint = (yaml: string) => {
      const result = loadScenarioText(yaml, 'd.yaml');
      return result.ok ? [] : result.problems.map((p) => p.hint);
    };
    expect(hint(`regions: [us-east-1, eu-west-1]\nsteps:\n  - ${UPDATE}expression: "ADD Views :one", values: { ':one': 1 } } }\n`)).toEqual([
      "Views is one of DynamoDB's reserved words: write #views in its place and add names: { '#views': Views }",
    ]);
    // with tables:, the hint named the table's keys (the message says "keyword")
    const tables = `tables:\n  - { TableName: Orders, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: pk, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }] }\n`;
    expect(hint(`regions: [us-east-1, eu-west-1]\n${tables}steps:\n  - { at: 0, read: { region: us-east-1, key: { pk: A }, projection: "Status" } }\n`)).toEqual([
      "Status is one of DynamoDB's reserved words: write #status in its place and add names: { '#status': Status }",
    ]);
  });

  it('a key written in DynamoDB JSON ({S: A}): the hint says a scenario writes values as plain YAML', () => {
    const hints = (yaml: string) => {
      const result = loadScenarioText(yaml, 'd.yaml');
      return result.ok ? [] : result.problems.map((p) => [p.message, p.hint]);
    };
    const tables = `tables:\n  - { TableName: Orders, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: pk, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }] }\n`;
    const plain = 'values are plain YAML, as DocumentClient marshals them, not DynamoDB JSON: write pk: "A", not pk: {S: "A"} (a number a double cannot hold is {$N: "…"}, a binary {$B: base64})';
    expect(hints(`regions: [us-east-1, eu-west-1]\n${tables}steps:\n  - { at: 0, put: { region: us-east-1, item: { pk: { S: A } } } }\n  - { at: 0, delete: { region: us-east-1, key: { pk: { S: A } } } }\n`)).toEqual([
      ['DynamoDB refuses this put (ValidationException): Invalid attribute value type', plain],
      ['DynamoDB refuses this delete (ValidationException): Invalid attribute value type', plain],
    ]);
    // on GlobalEventTable too; a map attribute that is no key is data, not a mistake
    expect(hints(`regions: [us-east-1, eu-west-1]\nsteps:\n  - ${UPDATE.replace(/key: \{[^}]*\}/, 'key: { Id: { N: 7 } }')}expression: "SET m = :m", values: { ':m': { S: 1 } } } }\n`)[0]?.[1]).toBe(
      'values are plain YAML, as DocumentClient marshals them, not DynamoDB JSON: write Id: 7, not Id: {N: 7} (a number a double cannot hold is {$N: "…"}, a binary {$B: base64})',
    );
  });

  it('an unused value placeholder, at its key', () => {
    expect(problems(`${UPDATE}expression: "SET a = :a", values: { ':a': 1, ':b': 2 } } }`)).toEqual([
      { code: 'dynamodb-refuses', line: 3, col: 104, at: "':b'", message: 'DynamoDB refuses this update (ValidationException): Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}' },
    ]);
  });

  it('an unused name placeholder, at its key', () => {
    expect(problems(`${UPDATE}expression: "SET a = :a", names: { '#x': x }, values: { ':a': 1 } } }`)[0]).toMatchObject({
      at: "'#x'",
      message: 'DynamoDB refuses this update (ValidationException): Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}',
    });
  });

  it('an undefined placeholder, at the expression that uses it', () => {
    expect(problems(`${UPDATE}expression: "SET a = :a", condition: "#n = :a", values: { ':a': 1 } } }`)[0]).toMatchObject({
      at: '"#n = :a"',
      message: 'DynamoDB refuses this update (ValidationException): Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n',
    });
  });

  it('a key attribute update, at the expression', () => {
    expect(problems(`${UPDATE}expression: "SET Id = :a", values: { ':a': B } } }`)).toEqual([
      { code: 'dynamodb-refuses', line: 3, col: 71, at: '"SET Id = :a"', message: 'DynamoDB refuses this update (ValidationException): One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key' },
    ]);
  });

  it('overlapping paths, at the expression', () => {
    expect(problems(`${UPDATE}expression: "SET a = :a ADD a.b :a", values: { ':a': 1 } } }`)[0]).toMatchObject({
      at: '"SET a = :a ADD a.b :a"',
      message: 'DynamoDB refuses this update (ValidationException): Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    });
  });

  it('an empty set and an invalid number, at the value, nested too', () => {
    expect(problems('{ at: 0, put: { region: us-east-1, item: { Id: A, m: { l: [1, { $NS: [] }] } } } }')).toEqual([
      { code: 'bad-value', line: 3, col: 67, at: '{', message: 'DynamoDB cannot hold this value: $NS takes a non-empty list (DynamoDB has no empty sets)' },
    ]);
    expect(problems(`{ at: 0, delete: { region: us-east-1, key: { Id: A }, condition: "n = :n", values: { ':n': { $N: "12x" } } } }`)).toEqual([
      { code: 'bad-value', line: 3, col: 96, at: '{', message: 'DynamoDB cannot hold this value: A value provided cannot be converted into a number' },
    ]);
    expect(problems('{ at: 0, put: { region: us-east-1, item: { Id: A, n: 9007199254740993 }, condition: "attribute_not_exists(Id)" } }')[0]).toMatchObject({ code: 'bad-number', at: '9007199254740993' });
  });

  it('a wrong key, at the key (or the item of a put)', () => {
    expect(problems('{ at: 0, delete: { region: us-east-1, key: { Id: 5 } } }')[0]).toMatchObject({ at: '{', col: 48, message: 'DynamoDB refuses this delete (ValidationException): One or more parameter values were invalid: Type mismatch for key' });
    expect(problems('{ at: 0, put: { region: us-east-1, item: { Name: A }, condition: "attribute_not_exists(Id)" } }')[0]).toMatchObject({ col: 46, message: 'DynamoDB refuses this put (ValidationException): One of the required keys was not given a value' });
  });

  it('a query: an unknown index, a key condition off the key schema, another table', () => {
    expect(problems(`{ at: 0, query: { region: us-east-1, index: Nope, key: "IdempotencyKey = :k", values: { ':k': k } } }`)[0]).toMatchObject({ at: 'Nope', message: 'DynamoDB refuses this query (ValidationException): The table does not have the specified index: Nope' });
    expect(problems(`{ at: 0, query: { region: us-east-1, key: "Colour = :k", values: { ':k': k } } }`)[0]).toMatchObject({ at: '"Colour = :k"', message: 'DynamoDB refuses this query (ValidationException): Query condition missed key schema element' });
    expect(problems(`{ at: 0, query: { region: us-east-1, table: Other, key: "Id = :k", values: { ':k': k } } }`)[0]).toMatchObject({ at: 'Other', message: 'DynamoDB refuses this query (ResourceNotFoundException): Cannot do operations on a non-existent table' });
  });

  it('a read projection with an undefined name, at the projection', () => {
    expect(problems('{ at: 0, read: { region: us-east-1, key: { Id: A }, projection: "#s" } }')[0]).toMatchObject({ at: '"#s"', message: expect.stringMatching(/^DynamoDB refuses this read \(ValidationException\): Invalid ProjectionExpression: An expression attribute name used in the document path is not defined/) });
  });

  it('the short form mixed with DynamoDB syntax: one problem naming both', () => {
    expect(problems(`{ at: 0, update: { region: us-east-1, id: A, expression: "SET a = :a", values: { ':a': 1 } } }`)).toEqual([
      { code: 'mixed-forms', line: 3, col: 43, at: 'id', message: 'this update mixes the short form (id) with DynamoDB syntax (expression, values)' },
    ]);
  });

  it('an undeclared region, and a condition tree in DynamoDB syntax', () => {
    expect(problems(`{ at: 0, delete: { region: ap-south-1, key: { Id: A } } }`)[0]).toMatchObject({ code: 'unknown-region', at: 'ap-south-1' });
    expect(problems(`${UPDATE}expression: "SET a = :a", values: { ':a': 1 }, condition: { notExists: Id } } }`)[0]).toMatchObject({ code: 'wrong-type', message: 'steps[0].update.condition: expected a string, found a mapping' });
  });

  it('the exit code and the file:line:col output of the CLI', () => {
    // The CLI prints these problems as every other loader problem: formatted by formatProblems, exit 2 (test/e2e).
    expect(load(`${UPDATE}expression: "SET a = :a" } }`).ok).toBe(false);
  });
});
