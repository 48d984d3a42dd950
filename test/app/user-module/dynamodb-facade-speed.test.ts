import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as realPackage from '@aws-sdk/client-dynamodb';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { dynamoDbFacade, withFastProperties } from '../../../src/app/user-module/dynamodb-facade.js';
import type { RegionServices } from '../../../src/app/user-module/types.js';
import { createInProcessRequestHandler } from '../../../src/dynamodb/sdk-request-handler.js';
import { GlobalTables } from '../../../src/sim/global-tables.js';

const REGION = 'us-east-1';
const TABLE = 'GlobalEventTable';

/** A facade DynamoDBClient class over a one-region model, and the requests its clients made. */
function facadeOverModel() {
  const model = new GlobalTables({ regions: [REGION] });
  const handler = createInProcessRequestHandler({ endpointFor: () => model.endpoint(REGION), region: REGION });
  const targets: string[] = [];
  const services: RegionServices = {
    region: REGION,
    dynamodbRequestHandler: {
      handle: (request: { headers: Record<string, string> }, options?: unknown) => {
        targets.push(request.headers['x-amz-target'] ?? '');
        return handler.handle(request as never, options as never);
      },
    },
    recordEffect: () => {},
    onRefusal: () => {},
  };
  const { DynamoDBClient } = dynamoDbFacade(realPackage as unknown as Record<string, unknown>, services) as { DynamoDBClient: typeof realPackage.DynamoDBClient };
  return { DynamoDBClient, targets };
}

/** A middleware that counts the requests it sees (name unique per call so each can be removed). */
function counting(name: string) {
  const seen = { count: 0 };
  const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    seen.count++;
    return next(args);
  };
  return { seen, middleware, options: { step: 'build' as const, name } };
}

describe('a facade DynamoDBClient builds its middleware chain once per command class', () => {
  it('answers each command with its own input, repeatedly and concurrently', async () => {
    const { DynamoDBClient, targets } = facadeOverModel();
    const client = new DynamoDBClient({});
    for (let i = 0; i < 3; i++) await client.send(new PutItemCommand({ TableName: TABLE, Item: { Id: { S: `o-${i}` }, N: { N: String(i) } } }));
    const got = await Promise.all([0, 1, 2].map((i) => client.send(new GetItemCommand({ TableName: TABLE, Key: { Id: { S: `o-${i}` } } }))));
    expect(got.map((r) => r.Item)).toEqual([0, 1, 2].map((i) => ({ Id: { S: `o-${i}` }, N: { N: String(i) } })));
    const updated = await client.send(new UpdateItemCommand({ TableName: TABLE, Key: { Id: { S: 'o-1' } }, UpdateExpression: 'ADD N :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' }));
    expect(updated.Attributes?.N).toEqual({ N: '2' });
    expect(targets.filter((t) => t.endsWith('.GetItem'))).toHaveLength(3);
  });

  it('runs middleware the team adds to the client after its first requests', async () => {
    const { DynamoDBClient } = facadeOverModel();
    const client = new DynamoDBClient({});
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { Id: { S: 'a' } } }));
    const added = counting('countAfterFirstSend');
    client.middlewareStack.add(added.middleware as never, added.options);
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { Id: { S: 'b' } } }));
    await client.send(new GetItemCommand({ TableName: TABLE, Key: { Id: { S: 'b' } } }));
    expect(added.seen.count).toBe(2);
    client.middlewareStack.remove('countAfterFirstSend');
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { Id: { S: 'c' } } }));
    expect(added.seen.count).toBe(2);
  });

  it("runs a command's own middleware, and sends with per-call options or a callback", async () => {
    const { DynamoDBClient } = facadeOverModel();
    const client = new DynamoDBClient({});
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { Id: { S: 'a' } } }));
    const own = counting('commandOwn');
    const command = new GetItemCommand({ TableName: TABLE, Key: { Id: { S: 'a' } } });
    command.middlewareStack.add(own.middleware as never, own.options);
    expect((await client.send(command)).Item).toEqual({ Id: { S: 'a' } });
    expect(own.seen.count).toBe(1);
    expect((await client.send(new GetItemCommand({ TableName: TABLE, Key: { Id: { S: 'a' } } }), { abortSignal: new AbortController().signal })).Item).toEqual({ Id: { S: 'a' } });
    const viaCallback = await new Promise((resolve, reject) =>
      client.send(new GetItemCommand({ TableName: TABLE, Key: { Id: { S: 'a' } } }), (error, output) => (error ? reject(error) : resolve(output?.Item))),
    );
    expect(viaCallback).toEqual({ Id: { S: 'a' } });
  });

  it('still accepts DynamoDBDocumentClient.from(client), whose commands take the SDK path', async () => {
    const { DynamoDBClient } = facadeOverModel();
    const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    await docs.send(new PutCommand({ TableName: TABLE, Item: { Id: 'd-1', lines: [{ sku: 'a' }] } }));
    await docs.send(new PutCommand({ TableName: TABLE, Item: { Id: 'd-2', lines: [] } }));
    expect((await docs.send(new GetCommand({ TableName: TABLE, Key: { Id: 'd-1' } }))).Item).toEqual({ Id: 'd-1', lines: [{ sku: 'a' }] });
    expect((await docs.send(new GetCommand({ TableName: TABLE, Key: { Id: 'd-2' } }))).Item).toEqual({ Id: 'd-2', lines: [] });
  });
});

describe('withFastProperties', () => {
  it('changes no property, value or prototype of the object', () => {
    const getter = () => 42;
    const object = Object.create({ inherited: true }, { computed: { get: getter, enumerable: true, configurable: true } }) as Record<string, unknown>;
    for (let i = 0; i < 60; i++) object[`k${i}`] = i;
    delete object.k3;
    const before = { descriptors: Object.getOwnPropertyDescriptors(object), prototype: Object.getPrototypeOf(object) as unknown, keys: Reflect.ownKeys(object) };
    withFastProperties(object);
    expect(Object.getOwnPropertyDescriptors(object)).toEqual(before.descriptors);
    expect(Object.getOwnPropertyDescriptor(object, 'computed')?.get).toBe(getter);
    expect(Object.getPrototypeOf(object)).toBe(before.prototype);
    expect(Reflect.ownKeys(object)).toEqual(before.keys);
    object.added = 1; // still an ordinary, extensible object
    expect(object.added).toBe(1);
  });

  it("leaves a facade client's config in V8's fast mode, also after DynamoDBDocumentClient.from (node --allow-natives-syntax)", () => {
    // The representation is only visible through a V8 native: checked in a child process that
    // allows them. If a Node upgrade changes V8's rule, this fails and the comment in
    // dynamodb-facade.ts needs revisiting (the answers stay right either way).
    // The facade bundled for the child (no TypeScript loader there); the SDK stays the installed one.
    const root = join(import.meta.dirname, '../../..');
    const facade = buildSync({ entryPoints: [join(root, 'src/app/user-module/dynamodb-facade.ts')], bundle: true, format: 'cjs', platform: 'node', write: false, external: ['@aws-sdk/*', '@smithy/*'] }).outputFiles[0]!.text;
    const script = `
      const ddb = require('@aws-sdk/client-dynamodb');
      const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');
      const facade = { exports: {} };
      new Function('module', 'exports', 'require', ${JSON.stringify(facade)})(facade, facade.exports, require);
      const services = { region: 'us-east-1', dynamodbRequestHandler: { handle() {} }, recordEffect() {}, onRefusal() {} };
      const plain = new ddb.DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const Facade = facade.exports.dynamoDbFacade(ddb, services).DynamoDBClient;
      const out = { plain: %HasFastProperties(plain.config), facade: [] };
      for (let i = 0; i < 3; i++) {
        const client = new Facade({});
        out.facade.push(%HasFastProperties(client.config));
        DynamoDBDocumentClient.from(client);
        out.facade.push(%HasFastProperties(client.config));
      }
      process.stdout.write(JSON.stringify(out));`;
    const stdout = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    const result = JSON.parse(stdout) as { plain: boolean; facade: boolean[] };
    // The SDK's own client stays in dictionary mode: what this speeds up.
    expect(result.plain).toBe(false);
    expect(result.facade).toEqual([true, true, true, true, true, true]);
  });
});
