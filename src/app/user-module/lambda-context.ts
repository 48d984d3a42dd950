/**
 * The Lambda `context` object a handler receives: the fields handlers and Powertools read
 * (awsRequestId, functionName, invokedFunctionArn with the region, getRemainingTimeInMillis() in
 * the run's time), with the shapes of the Node.js runtime.
 */

/** Account id in the ARNs geosim makes up; the model has no accounts. */
export const MODEL_ACCOUNT_ID = '123456789012';

/** The Node.js runtime's `context` (the fields of `Context` in @types/aws-lambda). */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  /** Deprecated completion calls of the runtime; the instance's handler settles the invocation with them. */
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

export interface LambdaContextOptions {
  functionName: string;
  region: string;
  awsRequestId: string;
  /** Virtual ms left before the Lambda timeout. */
  remainingMs: () => number;
}

/**
 * A context for one invocation. `done`/`fail`/`succeed` do nothing here: the handler of a
 * `UserModuleInstance` gives each invocation a context whose completion calls settle it.
 */
export function lambdaContext(o: LambdaContextOptions): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: o.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${o.region}:${MODEL_ACCOUNT_ID}:function:${o.functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: o.awsRequestId,
    logGroupName: `/aws/lambda/${o.functionName}`,
    // The runtime names a stream by date, version and instance; one stream per region here.
    logStreamName: `geosim/[$LATEST]${o.region}`,
    getRemainingTimeInMillis: () => Math.max(0, o.remainingMs()),
    done() {},
    fail() {},
    succeed() {},
  };
}
