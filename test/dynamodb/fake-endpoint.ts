import type { DynamoDBEndpoint } from '../../src/dynamodb/endpoint.js';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import type { Item } from '../../src/dynamodb/values.js';

/**
 * A stand-in for a region's database while the model's endpoint does not exist: tables hold items
 * by a string `Id`, PutItem understands the one condition `attribute_not_exists(Id)`, and the errors
 * are DynamoDB Local's (ResourceNotFoundException, ConditionalCheckFailedException with `Item`).
 * `Explode` throws a TypeError, standing for a bug behind an endpoint.
 */
export class FakeEndpoint implements DynamoDBEndpoint {
  readonly calls: { operation: string; input: Record<string, unknown> }[] = [];
  private readonly tables = new Map<string, Map<string, Item>>();

  constructor(
    readonly region: string,
    tableNames: string[] = ['Orders'],
  ) {
    for (const name of tableNames) this.tables.set(name, new Map());
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.calls.push({ operation, input });
    switch (operation) {
      case 'PutItem': {
        const table = this.table(input);
        const item = input.Item as Item;
        const id = idOf(item);
        const old = table.get(id);
        if (input.ConditionExpression === 'attribute_not_exists(Id)' && old !== undefined) {
          throw new DynamoDBError('ConditionalCheckFailedException', 'The conditional request failed', input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? { Item: old } : {});
        }
        table.set(id, item);
        return {};
      }
      case 'GetItem': {
        const item = this.table(input).get(idOf(input.Key as Item));
        return item === undefined ? {} : { Item: item };
      }
      case 'ListTables':
        return { TableNames: [...this.tables.keys()] };
      case 'ListStreams':
        return { Streams: [] };
      case 'Explode':
        throw new TypeError('a bug behind the endpoint');
      default:
        throw new DynamoDBError('UnknownOperationException', 'An unknown operation was requested.');
    }
  }

  private table(input: Record<string, unknown>): Map<string, Item> {
    const table = this.tables.get(String(input.TableName));
    if (table === undefined) throw new DynamoDBError('ResourceNotFoundException', 'Cannot do operations on a non-existent table');
    return table;
  }
}

function idOf(item: Item): string {
  const id = item.Id;
  if (id === undefined || !('S' in id)) throw new DynamoDBError('ValidationException', 'One of the required keys was not given a value');
  return id.S;
}

/** Endpoints for a few regions, and the resolver the handler and server take. */
export function fakeRegions(...regions: string[]): { endpoints: Map<string, FakeEndpoint>; endpointFor: (region: string) => FakeEndpoint } {
  const endpoints = new Map(regions.map((r) => [r, new FakeEndpoint(r)]));
  return {
    endpoints,
    endpointFor: (region) => {
      const endpoint = endpoints.get(region);
      if (endpoint === undefined) throw new DynamoDBError('ResourceNotFoundException', 'Cannot do operations on a non-existent table');
      return endpoint;
    },
  };
}
