import { createHook } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createInProcessRequestHandler } from '../../../src/dynamodb/sdk-request-handler.js';
import { describe, expect, it } from 'vitest';
import { lambdaContext, loadUserModule, type EffectCall, type RegionServices, type UserModuleSpec } from '../../../src/app/user-module/index.js';
import { GeosimRefusal } from '../../../src/app/user-module/refusal.js';
import { UserError } from '../../../src/errors.js';
import { GlobalTables } from '../../../src/sim/global-tables.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/user-modules');
const A = 'us-east-1';
const B = 'eu-west-1';

function spec(file: string, more: Partial<UserModuleSpec> = {}): UserModuleSpec {
  return { path: join(FIXTURES, file), handler: 'handler', env: { TABLE_NAME: 'GlobalEventTable', QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders' }, ...more };
}

/** A region's services over the model, recording what the module does. */
function regionServices(region: string, model?: GlobalTables) {
  const effects: EffectCall[] = [];
  const refusals: string[] = [];
  const requests: { region: string; target: string; sentTo: string }[] = [];
  // Facade clients do not sign: the region a request is for is in its host, as the run's handler reads it.
  const handlers = new Map<string, ReturnType<typeof createInProcessRequestHandler>>();
  const handlerFor = (target: string) => {
    let handler = handlers.get(target);
    if (!handler && model) handlers.set(target, (handler = createInProcessRequestHandler({ endpointFor: () => model.endpoint(target), region: target })));
    return handler;
  };
  const services: RegionServices = {
    region,
    dynamodbRequestHandler: {
      handle: (request: { headers: Record<string, string>; hostname: string }, options?: unknown) => {
        const sentTo = /^dynamodb\.([a-z0-9-]+)\.amazonaws\.com$/.exec(request.hostname)?.[1] ?? '';
        requests.push({ region, target: request.headers['x-amz-target'] ?? '', sentTo });
        const handler = handlerFor(sentTo);
        if (handler === undefined) throw new Error('no model behind this handler');
        return handler.handle(request as never, options as never);
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    } as RegionServices['dynamodbRequestHandler'],
    recordEffect: (call) => effects.push(call),
    onRefusal: (message) => refusals.push(message),
  };
  return { services, effects, refusals, requests };
}

let requestIds = 0;
const context = (region: string) => lambdaContext({ functionName: 'orders', region, awsRequestId: `req-${++requestIds}`, remainingMs: () => 3000 });

describe('loadUserModule: a TypeScript ESM module with a module of its own, per region', () => {
  it('gives each region its own module scope and a DynamoDBClient bound to that region', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 1000 });
    const code = await loadUserModule(spec('ts-esm/handler.ts', { functionName: 'orders' }));
    const a = regionServices(A, model);
    const b = regionServices(B, model);
    const inA = code.instantiate(a.services);
    const inB = code.instantiate(b.services);

    const first = (await inA.handler({ order: { id: 'o-1', total: 12 } }, context(A))) as Record<string, unknown>;
    const second = (await inA.handler({ order: { id: 'o-2', total: 5 } }, context(A))) as Record<string, unknown>;
    const inOther = (await inB.handler({ order: { id: 'o-3', total: 7 } }, context(B))) as Record<string, unknown>;

    expect(first).toMatchObject({ invocations: 1, region: A, lowTotal: '12', docLines: [{ sku: 'a', qty: 2 }] });
    expect(first.env).toEqual({ region: A, fn: 'orders', table: 'GlobalEventTable' });
    expect(first.arn).toBe(`arn:aws:lambda:${A}:123456789012:function:orders`);
    expect(second.invocations).toBe(2); // module scope kept within the instance
    expect(inOther).toMatchObject({ invocations: 1, region: B }); // and not shared with the other region
    // Every request of an instance went to its own handler, signed for its region.
    expect(a.requests.map((r) => r.sentTo)).toEqual(Array(8).fill(A));
    expect(b.requests.map((r) => r.sentTo)).toEqual(Array(4).fill(B));
    expect(a.requests.map((r) => r.target)).toEqual(['PutItem', 'GetItem', 'PutItem', 'GetItem', 'PutItem', 'GetItem', 'PutItem', 'GetItem'].map((op) => `DynamoDB_20120810.${op}`));

    // The writes reached the replica of the instance's region, and the other only after replication.
    const reader = (region: string) => new DynamoDBClient({ region, requestHandler: model.requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const key = { TableName: 'GlobalEventTable', Key: { Id: { S: 'ORDER#o-3' } } };
    expect((await reader(B).send(new GetItemCommand(key))).Item?.Region).toEqual({ S: B });
    expect((await reader(A).send(new GetItemCommand(key))).Item).toBeUndefined();
    await model.advance(1000);
    expect((await reader(A).send(new GetItemCommand(key))).Item?.Region).toEqual({ S: B });
  });

  it('exports the stream handler when the spec names one', async () => {
    const code = await loadUserModule(spec('ts-esm/handler.ts', { streamHandler: 'onTableChange' }));
    const instance = code.instantiate(regionServices(A).services);
    expect(await instance.streamHandler!({ Records: [1, 2] }, context(A))).toEqual({ batchItemFailures: [], seen: 2 });
  });

  it('constructs a client and sends its first request without file, network or random-bytes I/O', async () => {
    const code = await loadUserModule(spec('ts-esm/handler.ts'));
    const model = new GlobalTables({ regions: [A] });
    const services = regionServices(A, model);
    const seen: string[] = [];
    // Every asynchronous resource but promises: a config file read is FSREQCALLBACK/FSREQPROMISE,
    // a socket TCPWRAP, crypto.randomBytes RANDOMBYTESREQUEST, a timer Timeout.
    const hook = createHook({ init: (_id, type) => void (type !== 'PROMISE' && seen.push(type)) });
    hook.enable();
    try {
      const instance = code.instantiate(services.services);
      await instance.handler({ order: { id: 'o-9', total: 1 } }, context(A));
    } finally {
      hook.disable();
    }
    expect(seen).toEqual([]);
    expect(services.requests.length).toBeGreaterThan(0);
  });
});

describe('loadUserModule: JavaScript, ESM and CommonJS', () => {
  it('gives a namespace import and a require() of the SDK the facade, keeping the region and settings the code names', async () => {
    const model = new GlobalTables({ regions: [A, B] });
    const code = await loadUserModule(spec('namespace-import.mjs'));
    const services = regionServices(B, model);
    const instance = code.instantiate(services.services);
    // Running in B, the client the code built for A (its home region) signs for A; its retry setting is kept.
    expect(await instance.handler({}, context(B))).toEqual({ status: 200, region: A, maxAttempts: 2 });
    expect(services.requests.map((r) => r.sentTo)).toEqual([A]);
    const same = await loadUserModule(spec('namespace-import.mjs', { handler: 'sameClass' }));
    expect(await same.instantiate(regionServices(B, model).services).handler({}, context(B))).toBe(true); // createRequire() in the module hands out the same facade
  });

  it('keeps process.env per instance, and ignores a profile and endpoint in the code', async () => {
    const model = new GlobalTables({ regions: [A, B] });
    const code = await loadUserModule(spec('sdk-require.cjs'));
    const a = regionServices(A, model);
    const inA = code.instantiate(a.services);
    const inB = code.instantiate(regionServices(B, model).services);
    expect(await inA.handler({}, context(A))).toEqual({ item: null, seenBy: A, errorClass: 'function' });
    expect(await inB.handler({}, context(B))).toMatchObject({ seenBy: B });
    expect(process.env.SEEN_BY).toBeUndefined();
    expect(a.requests).toHaveLength(1);
  });

  it('loads a plain .mjs module with a per-instance counter and import.meta.url', async () => {
    const code = await loadUserModule(spec('plain.mjs'));
    const one = code.instantiate(regionServices(A).services);
    const two = code.instantiate(regionServices(B).services);
    expect(await one.handler({ text: 'x' }, context(A))).toEqual({ calls: 1, digest: '2d711642', url: true });
    expect(await one.handler({ text: 'x' }, context(A))).toMatchObject({ calls: 2 });
    expect(await two.handler({ text: 'x' }, context(B))).toMatchObject({ calls: 1 });
  });

  it('adapts a CommonJS callback-style handler, context.succeed, a plain value and a synchronous throw', async () => {
    const load = (handler: string) => loadUserModule(spec('plain.cjs', { handler, functionName: 'legacy' }));
    const callback = (await load('handler')).instantiate(regionServices(A).services);
    expect(await callback.handler({}, context(A))).toEqual({ calls: 1, fn: 'orders' });
    await expect(callback.handler({ fail: true }, context(A))).rejects.toThrow('asked to fail');
    const viaContext = (await load('viaContext')).instantiate(regionServices(A).services);
    expect(await viaContext.handler({ n: 1 }, context(A))).toEqual({ via: 'context.succeed', echo: { n: 1 } });
    const plain = (await load('plainValue')).instantiate(regionServices(A).services);
    expect(await plain.handler({ n: 2 }, context(A))).toEqual({ echo: { n: 2 } });
    const throwing = (await load('syncThrow')).instantiate(regionServices(A).services);
    await expect(throwing.handler({}, context(A))).rejects.toThrow('sync boom');
  });

  it('names the team\'s own file and line in the stack of an error it throws', async () => {
    const code = await loadUserModule(spec('throws.ts'));
    // vitest formats stacks itself (Error.prepareStackTrace); geosim's CLI leaves it to Node, whose
    // formatter applies the source map loadUserModule registered.
    const vitestFormat = Error.prepareStackTrace;
    Error.prepareStackTrace = undefined;
    let stack: string | undefined;
    try {
      const error = await code.instantiate(regionServices(A).services).handler({}, context(A)).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error); // this realm's Error
      stack = error.stack;
    } finally {
      Error.prepareStackTrace = vitestFormat;
    }
    expect(stack).toContain(`at fail (${join(FIXTURES, 'throws-helper.ts')}:2:9)`);
    expect(stack).toContain(`(${join(FIXTURES, 'throws.ts')}:4:`);
  });

  it('runs a module with a type error: esbuild strips types without checking them', async () => {
    const code = await loadUserModule(spec('type-error.ts'));
    expect(await code.instantiate(regionServices(A).services).handler({}, context(A))).toBe('not a number');
  });
});

describe('loadUserModule: other AWS services and the network', () => {
  it('records SQS SendMessage(Batch), SNS Publish and EventBridge PutEvents as effects, with deterministic answers', async () => {
    const code = await loadUserModule(spec('effects.ts'));
    const run = async () => {
      const services = regionServices(A);
      const output = await code.instantiate(services.services).handler({ id: 'e-1' }, context(A));
      return { output, services };
    };
    const { output, services } = await run();
    expect(services.effects.map((e) => `${e.service}.${e.operation}`)).toEqual(['sqs.SendMessage', 'sqs.SendMessageBatch', 'sns.Publish', 'eventbridge.PutEvents']);
    expect(services.effects[0]!.input).toEqual({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders', MessageBody: '{"id":"e-1"}' });
    const out = output as Record<string, Record<string, unknown>>;
    expect(out.sent!.MessageId).toMatch(/^[0-9a-f]{8}-0000-4000-8000-000000000001$/);
    expect(out.sent!.MD5OfMessageBody).toBe(createHash('md5').update('{"id":"e-1"}').digest('hex')); // what SQS answers
    expect((out.batch!.Successful as unknown[]).length).toBe(2);
    expect(out.put).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect((await run()).output).toEqual(output); // same answers run after run
    expect(services.refusals).toEqual([]);
  });

  it('refuses an operation of a recorded service that geosim does not model', async () => {
    const code = await loadUserModule(spec('effects.ts', { handler: 'receive' }));
    const services = regionServices(A);
    await expect(code.instantiate(services.services).handler({}, context(A))).rejects.toThrow(
      'geosim does not model SQS ReceiveMessage (it records SendMessage, SendMessageBatch): SQSClient.send(ReceiveMessageCommand) was refused',
    );
    expect(services.refusals).toHaveLength(1);
  });

  it('refuses S3 by name, and tells the run', async () => {
    const code = await loadUserModule(spec('refused.ts', { handler: 's3Put' }));
    const services = regionServices(A);
    const error = await code.instantiate(services.services).handler({}, context(A)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeosimRefusal);
    expect((error as Error).message).toBe('geosim does not model S3: S3Client.send(PutObjectCommand) was refused');
    expect(services.refusals).toEqual([(error as Error).message]);
  });

  it('refuses a client loaded lazily with import()', async () => {
    const code = await loadUserModule(spec('refused.ts', { handler: 'lazyS3' }));
    await expect(code.instantiate(regionServices(A).services).handler({}, context(A))).rejects.toThrow('geosim does not model S3: S3Client.send(GetObjectCommand) was refused');
  });

  it.each([
    ['callUrl', 'fetch(https://api.example.com/v1/orders?id=1)'],
    ['httpsGet', 'https.get(payments.example.com:443/charge)'],
    ['tcp', 'net.connect(db.example.com:5432)'],
  ])('refuses the network: %s names %s', async (handler, call) => {
    const code = await loadUserModule(spec('refused.ts', { handler }));
    const services = regionServices(A);
    await expect(code.instantiate(services.services).handler({}, context(A))).rejects.toThrow(`geosim does not allow network access from a handler: ${call} was refused`);
    expect(services.refusals).toHaveLength(1);
  });

  it('tells the run of a refusal the handler catches', async () => {
    const code = await loadUserModule(spec('refused.ts', { handler: 'swallowed' }));
    const services = regionServices(A);
    expect(await code.instantiate(services.services).handler({}, context(A))).toBe('caught it');
    expect(services.refusals).toEqual(['geosim does not allow network access from a handler: fetch(https://swallowed.example.com/) was refused']);
  });
});

describe('loadUserModule: a module that cannot load is a UserError (exit 2) naming the path', () => {
  const failure = async (load: () => Promise<unknown>): Promise<UserError> => {
    const error = await load().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    return error as UserError;
  };

  it('a missing file', async () => {
    const error = await failure(() => loadUserModule(spec('nope.ts')));
    expect(error.message).toBe(`${join(FIXTURES, 'nope.ts')}: the application module does not exist (application.module is resolved against the scenario file)`);
  });

  it('a syntax error, with file:line:col', async () => {
    const error = await failure(() => loadUserModule(spec('broken/syntax-error.ts')));
    expect(error.message).toContain(`${join(FIXTURES, 'broken/syntax-error.ts')}:2:21: Expected "}" but found ";"`);
  });

  it('an import of the team\'s that does not resolve', async () => {
    const error = await failure(() => loadUserModule(spec('broken/missing-import.ts')));
    expect(error.message).toContain(`${join(FIXTURES, 'broken/missing-import.ts')}:1:24: Could not resolve "./does-not-exist"`);
  });

  it('top-level await, saying so', async () => {
    const error = await failure(() => loadUserModule(spec('broken/top-level-await.mjs')));
    expect(error.message).toContain(`${join(FIXTURES, 'broken/top-level-await.mjs')}:1:16: top-level await is not supported in an application module`);
  });

  it('no such export, listing the exports', async () => {
    const code = await loadUserModule(spec('plain.cjs', { handler: 'handle' }));
    const error = await failure(async () => code.instantiate(regionServices(A).services));
    expect(error.message).toBe(`${join(FIXTURES, 'plain.cjs')}: the application module has no export "handle" (application.handler); its exports: handler, viaContext, plainValue, syncThrow, notAFunction`);
    const notFunction = await loadUserModule(spec('plain.cjs', { handler: 'notAFunction' }));
    expect((await failure(async () => notFunction.instantiate(regionServices(A).services))).message).toContain('exports "notAFunction" as a number, not a function');
  });

  it('an export of the name that is no function: its kind in words, and no “did you mean” that same name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-export-kind-'));
    writeFileSync(join(dir, 'config.mjs'), 'export const handler = { region: "x" };\nexport const handle = async () => 1;\n');
    const error = (await failure(async () => (await loadUserModule({ ...spec('plain.cjs'), path: join(dir, 'config.mjs') })).instantiate(regionServices(A).services))) as UserError;
    expect(error.message).toContain('exports "handler" as an object, not a function');
    expect(error.candidates).toEqual(['handle']);
  });

  it('a throw at module scope', async () => {
    const code = await loadUserModule(spec('broken/module-scope-throw.cjs'));
    const error = await failure(async () => code.instantiate(regionServices(A).services));
    expect(error.message).toBe(`${join(FIXTURES, 'broken/module-scope-throw.cjs')}: the application module threw while loading (module scope, region us-east-1): Error: REQUIRED_SETTING is not set (at module-scope-throw.cjs:1:42)`);
    const fine = await loadUserModule(spec('broken/module-scope-throw.cjs', { env: { REQUIRED_SETTING: 'yes' } }));
    expect(await fine.instantiate(regionServices(A).services).handler({}, context(A))).toBe('ok');
  });
});

describe('loadUserModule: Powertools idempotency', () => {
  it('bundles, and its DynamoDB persistence layer talks to the region\'s replica through the facade', async () => {
    const model = new GlobalTables({ regions: [A, B] });
    const code = await loadUserModule(spec('powertools.ts', { env: { IDEMPOTENCY_TABLE: 'GlobalEventTable' } }));
    const a = regionServices(A, model);
    const instance = code.instantiate(a.services);
    const first = await instance.handler({ orderId: 'o-1' }, context(A));
    const again = await instance.handler({ orderId: 'o-1' }, context(A));
    expect(first).toEqual({ orderId: 'o-1', runs: 1 });
    expect(again).toEqual(first); // the idempotency record answered
    expect(a.requests.length).toBeGreaterThan(0);
    expect(new Set(a.requests.map((r) => r.sentTo))).toEqual(new Set([A]));
  });
});
