import { extname } from 'node:path';
import type { PathProblem } from './problems.js';
import { durationMs, USER_EVENT_SOURCES, type LAMBDA_INVOCATIONS, type ScenarioParsed } from './schema.js';

/** Keys of `application` that configure geosim's built-in application, which a module replaces. */
const BUILT_IN_KEYS = ['strategy', 'idempotency', 'idempotencyTtlSeconds', 'maxRetries', 'consumerDelay', 'requestLatency', 'merge'] as const;
/** Keys of `application` that only mean something next to `module`. */
const MODULE_KEYS = ['handler', 'streamHandler', 'event', 'env', 'latency', 'stream', 'functionName'] as const;
/** What geosim can load without a build step (TypeScript through esbuild). */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;
/**
 * Environment variables Lambda sets itself and refuses in a function's configuration ("reserved
 * keys that are currently not supported for modification"): geosim sets them per region, so one in
 * `env` would be silently replaced, as the file would not run on AWS.
 */
const RESERVED_ENV = new Set(['_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ']);

/** AWS: an SQS event source mapping without a batching window takes at most 10 messages a batch. */
const SQS_MAX_BATCH = 10;

/**
 * The rules between `application` (a team's module or the built-in application) and `lambda`
 * that the schema alone cannot state. `raw` is the document as written, before defaults: a
 * built-in key is refused next to `module` only if the file wrote it.
 */
export function applicationProblems(s: ScenarioParsed, raw: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  const written = (section: string, key: string) => {
    const part = isRecord(raw) ? raw[section] : undefined;
    return isRecord(part) && Object.hasOwn(part, key);
  };
  const app = s.application;
  if (app.module === undefined && app.strategy === 'custom' && app.merge === undefined) {
    problems.push({ path: ['application', 'strategy'], code: 'custom-needs-merge', message: 'strategy custom merges concurrent versions with your function, and application.merge names none', hint: 'add application.merge: { module: ./merge.ts, function: merge }' });
  }
  if (app.merge !== undefined && app.strategy !== 'custom') {
    problems.push({ path: ['application', 'merge'], atKey: true, code: 'merge-needs-custom', message: `application.merge is the custom strategy's merge function, and the strategy is ${app.strategy}`, hint: 'set application.strategy: custom, or remove application.merge' });
  }
  if (app.merge !== undefined && !(MODULE_EXTENSIONS as readonly string[]).includes(extname(app.merge.module).toLowerCase())) {
    problems.push({ path: ['application', 'merge', 'module'], code: 'module-extension', message: `geosim loads a merge module ending in ${MODULE_EXTENSIONS.join(', ')}, found "${app.merge.module}"`, hint: 'point module at the source file that exports the merge function' });
  }
  if (app.module === undefined) {
    for (const key of MODULE_KEYS) {
      if (app[key] !== undefined) {
        problems.push({ path: ['application', key], atKey: true, code: 'needs-module', message: `application.${key} configures your own handler module, and the scenario names none`, hint: 'add application.module: ./path/to/handler.ts, or remove this key' });
      }
    }
    return problems;
  }
  for (const key of BUILT_IN_KEYS) {
    if (!written('application', key)) continue;
    problems.push({
      path: ['application', key],
      atKey: true,
      code: 'built-in-only',
      message: `application.${key} belongs to geosim's built-in application, which application.module replaces`,
      hint: key === 'requestLatency' ? 'use application.latency: the time each SDK call of your handler takes' : 'your handler decides this itself; remove the key, or remove application.module to run the built-in application',
    });
  }
  const extension = extname(app.module).toLowerCase();
  if (!(MODULE_EXTENSIONS as readonly string[]).includes(extension)) {
    problems.push({ path: ['application', 'module'], code: 'module-extension', message: `geosim loads a handler module ending in ${MODULE_EXTENSIONS.join(', ')}, found "${app.module}"`, hint: 'point module at the source file that exports the handler' });
  }
  if (app.handler !== undefined && app.streamHandler === app.handler) {
    problems.push({ path: ['application', 'streamHandler'], code: 'same-export', message: `streamHandler and handler are both "${app.handler}"`, hint: 'the stream handler gets DynamoDB stream batches, not events: name another export' });
  }
  if (app.stream !== undefined && app.streamHandler === undefined) {
    problems.push({ path: ['application', 'stream'], atKey: true, code: 'needs-stream-handler', message: 'application.stream configures the stream handler, and application.streamHandler names none', hint: 'add application.streamHandler: the export that gets stream batches' });
  }
  for (const name of Object.keys(app.env ?? {})) {
    if (!RESERVED_ENV.has(name)) continue;
    problems.push({
      path: ['application', 'env', name],
      atKey: true,
      code: 'reserved-env',
      message: `${name} is one of Lambda's reserved variables: Lambda sets it, and refuses it in a function's configuration`,
      hint: name === 'AWS_LAMBDA_FUNCTION_NAME' ? 'set application.functionName instead' : name.includes('REGION') ? 'geosim sets it to each region the handler runs in' : 'remove it: your handler reads the value Lambda (and geosim) sets',
    });
  }
  if (isRecord(app.latency)) {
    for (const region of Object.keys(app.latency)) {
      if (!s.regions.includes(region)) problems.push({ path: ['application', 'latency', region], atKey: true, code: 'unknown-region', message: `region "${region}" is not one of the scenario's regions`, hint: `declared regions: ${s.regions.join(', ')}` });
    }
  }
  const event = app.event ?? 'direct';
  const implied = USER_EVENT_SOURCES[event];
  if (s.lambda && written('lambda', 'invocation') && s.lambda.invocation !== implied) {
    const from = Object.entries(USER_EVENT_SOURCES).filter(([, inv]) => inv === s.lambda!.invocation).map(([e]) => e);
    problems.push({
      path: ['lambda', 'invocation'],
      code: 'event-contradiction',
      message: `lambda.invocation ${s.lambda.invocation} contradicts application.event ${event}, which Lambda invokes as ${implied}`,
      hint: from.length > 0 ? `remove lambda.invocation (application.event decides it), or set application.event: ${from.join(' or ')}` : `your handler's events arrive through ${Object.keys(USER_EVENT_SOURCES).join(', ')}: remove lambda.invocation`,
    });
  }
  return problems;
}

/** How events reach the application: a team's module says it with `event`, the built-in one with `lambda.invocation`. */
export function effectiveInvocation(s: ScenarioParsed): (typeof LAMBDA_INVOCATIONS)[number] | undefined {
  return s.application.module !== undefined ? USER_EVENT_SOURCES[s.application.event ?? 'direct'] : s.lambda?.invocation;
}

/** Rules of the SQS event source that hold for any application (the built-in one too). */
export function sqsProblems(s: ScenarioParsed, raw: unknown): PathProblem[] {
  const invocation = effectiveInvocation(s);
  if (invocation !== 'sqs' || !s.lambda) return [];
  const problems: PathProblem[] = [];
  const l = s.lambda;
  if (l.batchSize !== undefined && l.batchSize > SQS_MAX_BATCH) {
    problems.push({ path: ['lambda', 'batchSize'], code: 'sqs-batch', message: `an SQS event source mapping takes at most ${SQS_MAX_BATCH} messages a batch without a batching window, found ${l.batchSize}`, hint: `1 to ${SQS_MAX_BATCH}` });
  }
  const lambdaRaw = isRecord(raw) && isRecord(raw.lambda) ? raw.lambda : {};
  if (durationMs(l.visibilityTimeout) < durationMs(l.timeout)) {
    problems.push({
      path: ['lambda', Object.hasOwn(lambdaRaw, 'visibilityTimeout') ? 'visibilityTimeout' : 'timeout'],
      code: 'sqs-visibility',
      message: `the queue's visibility timeout (${durationMs(l.visibilityTimeout)} ms) is shorter than the function timeout (${durationMs(l.timeout)} ms): Lambda refuses such an event source mapping`,
      hint: 'AWS recommends a visibility timeout of at least six times the function timeout',
    });
  }
  return problems;
}

/** A mapping of the raw YAML (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
