/**
 * AWS SDK v3 client packages other than DynamoDB, as a handler module sees them.
 *
 * - `@aws-sdk/client-sqs`, `client-sns`, `client-eventbridge`: fakes whose `send()` records the
 *   call as an effect of the event being handled (SQS SendMessage(Batch), SNS Publish(Batch),
 *   EventBridge PutEvents) and answers what the service would (ids from a counter: no randomness,
 *   so a run's bytes repeat). They need not be installed.
 * - Any other `@aws-sdk/client-*`: a client whose `send()` throws a GeosimRefusal naming the
 *   service, the client and the command.
 *
 * A command class keeps its `input`, as the SDK's does. Client and command classes are made on
 * first use under any name the code imports (`import { XCommand }`), so the fakes do not list
 * every operation of a service.
 */
import { createHash } from 'node:crypto';
import { refuse } from './refusal.js';
import type { EffectCall, RegionServices } from './types.js';

interface RecordedService {
  service: EffectCall['service'];
  /** Service name in messages and in the SDK's class names. */
  title: string;
  clientName: string;
  /** Operations recorded as effects, and the answer each gives. */
  operations: Record<string, (input: Record<string, unknown>, nextId: () => string) => Record<string, unknown>>;
}

const md5 = (text: unknown): string => createHash('md5').update(typeof text === 'string' ? text : '').digest('hex');
const entriesOf = (input: Record<string, unknown>): Record<string, unknown>[] => (Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : []);
const batchEntriesOf = (input: Record<string, unknown>): Record<string, unknown>[] =>
  Array.isArray(input.PublishBatchRequestEntries) ? (input.PublishBatchRequestEntries as Record<string, unknown>[]) : [];

const RECORDED: Record<string, RecordedService> = {
  '@aws-sdk/client-sqs': {
    service: 'sqs',
    title: 'SQS',
    clientName: 'SQSClient',
    operations: {
      SendMessage: (input, nextId) => ({ MessageId: nextId(), MD5OfMessageBody: md5(input.MessageBody) }),
      SendMessageBatch: (input, nextId) => ({
        Successful: entriesOf(input).map((entry) => ({ Id: entry.Id, MessageId: nextId(), MD5OfMessageBody: md5(entry.MessageBody) })),
        Failed: [],
      }),
    },
  },
  '@aws-sdk/client-sns': {
    service: 'sns',
    title: 'SNS',
    clientName: 'SNSClient',
    operations: {
      Publish: (_input, nextId) => ({ MessageId: nextId() }),
      PublishBatch: (input, nextId) => ({ Successful: batchEntriesOf(input).map((entry) => ({ Id: entry.Id, MessageId: nextId() })), Failed: [] }),
    },
  },
  '@aws-sdk/client-eventbridge': {
    service: 'eventbridge',
    title: 'EventBridge',
    clientName: 'EventBridgeClient',
    operations: {
      PutEvents: (input, nextId) => ({ FailedEntryCount: 0, Entries: entriesOf(input).map(() => ({ EventId: nextId() })) }),
    },
  },
};

/** The package names whose clients are faked (effects recorded). */
export function isRecordedClientPackage(id: string): boolean {
  return id in RECORDED;
}

/** `@aws-sdk/client-<name>` other than DynamoDB: a service geosim does not model unless recorded. */
export function isAwsClientPackage(id: string): boolean {
  return /^@aws-sdk\/client-[a-z0-9-]+$/.test(id);
}

/** Marks a synthesized command class with its operation, so a minified class name does not matter. */
const OPERATION = Symbol('geosim.operation');

type Send = (command: { input?: unknown; constructor: Function }) => Promise<unknown>;

/** Common shape of a fake client: what SDK helpers (Powertools, X-Ray capture) touch besides `send`. */
function clientClass(name: string, region: string, sendImpl: Send): Function {
  const middlewareStack = { add() {}, addRelativeTo() {}, use() {}, remove() { return false; }, clone() { return middlewareStack; }, concat() { return middlewareStack; } };
  const holder = {
    [name]: class {
      readonly config: Record<string, unknown>;
      readonly middlewareStack = middlewareStack;
      constructor(config?: Record<string, unknown>) {
        this.config = Object.assign({}, config, { region: () => Promise.resolve(region) });
      }
      send(command: { input?: unknown; constructor: Function }, optionsOrCallback?: unknown, callback?: unknown): Promise<unknown> | void {
        const cb = typeof optionsOrCallback === 'function' ? optionsOrCallback : typeof callback === 'function' ? callback : undefined;
        const answer = sendImpl(command);
        if (cb === undefined) return answer;
        answer.then((output) => (cb as Function)(null, output), (error: unknown) => (cb as Function)(error));
      }
      destroy(): void {}
    },
  };
  return holder[name]!;
}

function commandClass(name: string): Function {
  const holder = {
    [name]: class {
      readonly input: unknown;
      constructor(input?: unknown) {
        this.input = input ?? {};
      }
    },
  };
  const cls = holder[name]!;
  Object.defineProperty(cls, OPERATION, { value: name.replace(/Command$/, '') });
  return cls;
}

function operationOf(command: { constructor: Function }): string {
  const ctor = command.constructor as Function & { [OPERATION]?: string };
  return ctor[OPERATION] ?? ctor.name.replace(/Command$/, '');
}

/**
 * A module object whose prototype makes up `*Client` and `*Command` classes on first use. On the
 * prototype, not a Proxy of the module: esbuild's ESM interop (`__toESM`) copies a module's own
 * properties onto an object with the module's prototype, so named and namespace imports both find them.
 */
function synthesizingModule(own: Record<string, Function>, make: (name: string) => Function | undefined): Record<string, unknown> {
  const made = new Map<string, Function>(Object.entries(own));
  const prototype = new Proxy(Object.create(null) as object, {
    get(_target, property) {
      if (typeof property !== 'string') return undefined;
      let value = made.get(property);
      if (value === undefined) {
        value = make(property);
        if (value !== undefined) made.set(property, value);
      }
      return value;
    },
  });
  return Object.assign(Object.create(prototype) as Record<string, unknown>, own);
}

/** Deterministic ids in UUID form: the region and service make them distinct across instances. */
function idSequence(region: string, service: string): () => string {
  const prefix = createHash('sha256').update(`${region}/${service}`).digest('hex').slice(0, 8);
  let next = 0;
  return () => `${prefix}-0000-4000-8000-${(++next).toString(16).padStart(12, '0')}`;
}

/** A recorded service's package for one instance. */
export function recordedClientModule(id: string, services: RegionServices): Record<string, unknown> {
  const spec = RECORDED[id]!;
  const nextId = idSequence(services.region, spec.service);
  let requests = 0;
  const send: Send = async (command) => {
    const operation = operationOf(command);
    const answer = spec.operations[operation];
    if (answer === undefined) {
      const modelled = Object.keys(spec.operations).join(', ');
      throw refuse(services.onRefusal, `geosim does not model ${spec.title} ${operation} (it records ${modelled}): ${spec.clientName}.send(${operation}Command) was refused`);
    }
    const input = (command.input ?? {}) as Record<string, unknown>;
    services.recordEffect({ service: spec.service, operation, input });
    requests += 1;
    const requestId = `geosim-${spec.service}-${services.region}-${requests}`;
    return Object.assign(answer(input, nextId), { $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 } });
  };
  const client = clientClass(spec.clientName, services.region, send);
  return synthesizingModule({ [spec.clientName]: client }, (name) => (name.endsWith('Command') ? commandClass(name) : undefined));
}

/** Any other AWS client package: constructing a client works, its `send()` is refused. */
export function refusedClientModule(id: string, services: RegionServices): Record<string, unknown> {
  const send = (clientName: string): Send => async (command) => {
    const service = clientName.replace(/Client$/, '') || id.replace(/^@aws-sdk\/client-/, '');
    throw refuse(services.onRefusal, `geosim does not model ${service}: ${clientName}.send(${operationOf(command)}Command) was refused`);
  };
  return synthesizingModule({}, (name) => {
    if (name.endsWith('Client')) return clientClass(name, services.region, send(name));
    if (name.endsWith('Command')) return commandClass(name);
    return undefined;
  });
}

