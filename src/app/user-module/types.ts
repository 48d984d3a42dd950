/**
 * The shapes that join a team's handler module to the run (design-13 "Part S"): what the
 * integrator gives per region, and what it gets back.
 */
import type { ModuleTimers } from './module-timers.js';
import type { RequestHandler } from '@smithy/types';
import type { LambdaContext } from './lambda-context.js';

export interface UserModuleSpec {
  /** Absolute path of the module (.ts, .mts, .cts, .js, .mjs, .cjs). */
  path: string;
  /** The export called like Lambda: `(event, context)`. */
  handler: string;
  /** Optional export that receives DynamoDB stream batches. */
  streamHandler?: string;
  /** The scenario's `application.env`; geosim adds AWS_REGION and the other Lambda variables. */
  env: Record<string, string>;
  /** The Lambda function's name (context.functionName, AWS_LAMBDA_FUNCTION_NAME); default: the module's file name. */
  functionName?: string;
}

/** A call to a service geosim records instead of sending (design-13: effects outside the table). */
export interface EffectCall {
  service: 'sqs' | 'sns' | 'eventbridge';
  /** The operation, as the SDK names its command without `Command` (`SendMessage`, `Publish`, `PutEvents`). */
  operation: string;
  input: unknown;
}

export interface RegionServices {
  region: string;
  /** Given to every DynamoDBClient the module creates in this region (a smithy HttpHandler). */
  dynamodbRequestHandler: RequestHandler<any, any, any> & { handle: Function };
  /** SQS SendMessage(Batch), SNS Publish(Batch), EventBridge PutEvents: recorded, never sent. */
  recordEffect(call: EffectCall): void;
  /** A refused call (unmodelled AWS service or the network), with the message thrown into the handler. */
  onRefusal(message: string): void;
  /** The timers the module's code sees; default the process's own at the time the instance is made. */
  timers?: ModuleTimers;
  /** `node:timers` and `node:timers/promises` as its code imports them, over `timers`; default the process's own. */
  timerModules?: { timers: object; promises: object };
  /** The console the module's code sees; default the process's own. */
  console?: Console;
  /** Where the module's `process.stdout` and `process.stderr` write (its log stream, as the console's); default the process's own. */
  output?: NodeJS.WritableStream;
  /** The module called `process.exit` (before it throws `error`, which its code could catch: the runtime would be gone all the same). */
  onExit?(error: Error): void;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface UserModuleInstance {
  handler: LambdaHandler;
  streamHandler?: LambdaHandler;
}

/** A bundled module, evaluated afresh by every `instantiate` (its own module-scope state). */
export interface UserModuleCode {
  /**
   * One region's instance (one Lambda function per region). Throws a UserError (exit 2) naming the
   * path when the module throws while it is evaluated or lacks the named export.
   */
  instantiate(services: RegionServices): UserModuleInstance;
}
