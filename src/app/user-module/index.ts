/**
 * Part S of issue 13: a team's Lambda handler module, bundled once and instantiated per region
 * with the AWS SDK bound to that region's replica (see design-13 "Part S").
 */
export { loadUserModule, asPromiseHandler, type UserModuleCodeStats } from './load.js';
export { lambdaContext, MODEL_ACCOUNT_ID, type LambdaContext, type LambdaContextOptions } from './lambda-context.js';
export { GeosimRefusal } from './refusal.js';
export type { EffectCall, LambdaHandler, RegionServices, UserModuleCode, UserModuleInstance, UserModuleSpec } from './types.js';
