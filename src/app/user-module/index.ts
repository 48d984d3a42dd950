/**
 * Part S of issue 13: a team's Lambda handler module, bundled once and instantiated per region
 * with the AWS SDK bound to that region's replica (design-13 "Part S").
 *
 * @example
 * ```ts
 * const code = await loadUserModule({ path: '/abs/app/orders.ts', handler: 'handler', env: { TABLE_NAME: 'GlobalEventTable' } });
 * const inUsEast = code.instantiate({ region: 'us-east-1', dynamodbRequestHandler, recordEffect, onRefusal });
 * await inUsEast.handler(event, lambdaContext({ functionName: 'orders', region: 'us-east-1', awsRequestId, remainingMs }));
 * ```
 *
 * What the sandbox does not cover (each a choice, not an oversight):
 * - Types are stripped, not checked (esbuild); a syntax error is exit 2, a type error runs.
 * - The bundled code's `globalThis` (and `global`) is the instance's: what it stores there is
 *   its own, what it did not store reads through to the real global (its `process`, `fetch`,
 *   `console` and timers are the instance's). Packages outside the bundle see the real global.
 *   `__filename`/`import.meta.url` name the entry module in every bundled file.
 * - A DynamoDBClient's `region` is the instance's, whatever the code passes: a client the code
 *   points at another region talks to its own region's replica.
 * - Packages outside the bundle (`@aws-sdk/*`, `@smithy/*`) use the real network modules; only
 *   the client packages are replaced, so a credential provider that calls STS is not refused (the
 *   facade clients never ask it).
 */
export { loadUserModule, asPromiseHandler, type UserModuleCodeStats } from './load.js';
export { lambdaContext, MODEL_ACCOUNT_ID, type LambdaContext, type LambdaContextOptions } from './lambda-context.js';
export { GeosimRefusal } from './refusal.js';
export type { EffectCall, LambdaHandler, RegionServices, UserModuleCode, UserModuleInstance, UserModuleSpec } from './types.js';
