import { describe, expect, it } from 'vitest';
import { asPromiseHandler, lambdaContext } from '../../../src/app/user-module/index.js';

describe('lambdaContext', () => {
  it('has the fields handlers and Powertools read, with the region in the ARN and the time left in the run\'s time', () => {
    let now = 100;
    const context = lambdaContext({ functionName: 'orders', region: 'eu-west-1', awsRequestId: 'req-1', remainingMs: () => 3000 - now });
    expect(context).toMatchObject({
      functionName: 'orders',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      memoryLimitInMB: '128',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/orders',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.logStreamName).toContain('eu-west-1');
    expect(context.getRemainingTimeInMillis()).toBe(2900);
    now = 3500;
    expect(context.getRemainingTimeInMillis()).toBe(0); // never negative
  });
});

describe('asPromiseHandler: every Lambda handler style as a promise', () => {
  const context = lambdaContext({ functionName: 'f', region: 'us-east-1', awsRequestId: 'r', remainingMs: () => 1000 });

  it('takes the first settlement of a callback-style handler that also returns a promise', async () => {
    const handler = asPromiseHandler(async (_event: unknown, _context: unknown, callback: unknown) => {
      (callback as (e: unknown, r: unknown) => void)(null, 'from callback');
      return 'from promise';
    });
    expect(await handler({}, context)).toBe('from callback');
  });

  it('rejects on context.fail and context.done(error), resolves on context.done(null, result)', async () => {
    await expect(asPromiseHandler((_e, c) => void (c as typeof context).fail(new Error('failed via context')))({}, context)).rejects.toThrow('failed via context');
    await expect(asPromiseHandler((_e, c) => void (c as typeof context).done(new Error('done with error')))({}, context)).rejects.toThrow('done with error');
    expect(await asPromiseHandler((_e, c) => void (c as typeof context).done(null, 7))({}, context)).toBe(7);
  });

  it('gives each invocation its own completion, leaving the given context untouched', async () => {
    const seen: unknown[] = [];
    const handler = asPromiseHandler((_e, c) => {
      seen.push(c);
      return 1;
    });
    await handler({}, context);
    expect(seen[0]).not.toBe(context);
    expect((seen[0] as typeof context).awsRequestId).toBe('r');
    expect(JSON.parse(JSON.stringify(seen[0]))).toMatchObject({ functionName: 'f', awsRequestId: 'r' }); // loggable like the runtime's
  });

  it('rejects with an Error when a promise rejects with nothing', async () => {
    await expect(asPromiseHandler(() => Promise.reject(undefined))({}, context)).rejects.toThrow('the handler rejected');
  });
});
