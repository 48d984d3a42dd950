import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTemplate, type CfnResource, type CfnTemplate } from '../../src/render/mermaid/cloudformation.js';
import { findDanglingReferences, subVariables } from '../helpers/cfn-references.js';
import { IDEMPOTENCY_MODES } from '../../src/app/event-processor.js';
import { STRATEGY_NAMES } from '../../src/aws/processor-env.js';
import { IDEMPOTENCY_PREFIX } from '../../src/app/item.js';
import { DEFAULT_TABLE_NAME, IDEMPOTENCY_INDEX, TTL_ATTRIBUTE } from '../../src/backends/dynamodb/schema.js';
import { cfnLint, cfnLintFound } from '../helpers/cfn-lint.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const templatePath = resolve(root, 'infra/template.yaml');
const template = parseTemplate(readFileSync(templatePath, 'utf8'));

// asl-validator 4 ships CommonJS without type declarations: `module.exports = validator`.
interface AslValidationResult {
  isValid: boolean;
  errors: Array<{ message?: string }>;
  errorsText: (separator?: string) => string;
}
const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => AslValidationResult;

function resource(name: string, type?: string): CfnResource {
  const found = template.Resources[name];
  if (found === undefined) throw new Error(`template has no resource ${name}`);
  if (type !== undefined) expect(found.Type).toBe(type);
  return found;
}

function props(name: string, type?: string): Record<string, any> {
  return (resource(name, type).Properties ?? {}) as Record<string, any>;
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
}

interface Grant {
  at: string;
  statement: Statement;
  /** Set when the policy is one branch of Fn::If: granted only under that condition. */
  condition?: string;
}

/** Every IAM policy statement the template grants, with where it lives. */
function grantStatements(t: CfnTemplate): Grant[] {
  const out: Grant[] = [];
  for (const [name, res] of Object.entries(t.Resources)) {
    const p = (res.Properties ?? {}) as Record<string, any>;
    const documents: Array<[string, any, string?]> = [];
    if (res.Type === 'AWS::IAM::Role') {
      for (const entry of asList(p.Policies)) {
        // `!If [Cond, policy, !Ref AWS::NoValue]`: both branches are policies that may apply.
        const conditional = entry?.['Fn::If'] as [string, any, any] | undefined;
        const branches: Array<[any, string?]> = conditional
          ? [[conditional[1], conditional[0]], [conditional[2], conditional[0]]]
          : [[entry, undefined]];
        for (const [policy, condition] of branches) {
          if (policy?.Ref === 'AWS::NoValue') continue;
          documents.push([`${name}.${policy.PolicyName}`, policy.PolicyDocument, condition]);
        }
      }
    }
    if (res.Type === 'AWS::IAM::Policy' || res.Type === 'AWS::IAM::ManagedPolicy') documents.push([name, p.PolicyDocument]);
    if (res.Type === 'AWS::Serverless::Function' || res.Type === 'AWS::Serverless::StateMachine') {
      for (const policy of asList(p.Policies)) {
        if (typeof policy === 'object' && policy !== null && 'Statement' in policy) documents.push([name, policy]);
      }
    }
    for (const [at, doc, condition] of documents) {
      for (const statement of asList(doc?.Statement)) out.push({ at, statement, ...(condition ? { condition } : {}) });
    }
  }
  return out;
}

/** Resources of the statements in one role that allow `action`, unconditional ones by default. */
function grantsOf(roleName: string, action: string, condition?: string): unknown[] {
  return grantStatements(template)
    .filter((g) => g.at.startsWith(`${roleName}.`) && g.condition === condition && asList(g.statement.Action).includes(action))
    .map(({ statement }) => statement.Resource);
}

const wildcard = /[*?]/;

describe('template reference checker', () => {
  const header = `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Name: { Type: String }
Conditions:
  InHome: !Equals [!Ref 'AWS::Region', us-east-1]
`;

  it('accepts references to resources, parameters, pseudo parameters, Sub variables and escapes', () => {
    const good = parseTemplate(`${header}
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Home:
    Type: AWS::SQS::Queue
    Condition: InHome
  Role:
    Type: AWS::IAM::Role
    DependsOn: Queue
    Properties:
      RoleName: !Sub
        - '\${Name}-\${AWS::Region}-\${Queue.Arn}-\${Extra}-\${!Literal}'
        - Extra: !Ref Name
      Tags:
        - Key: home
          Value: !If [InHome, !GetAtt Home.Arn, !Ref 'AWS::NoValue']
        - Key: joined
          Value: !Join ['', [!Select [0, !Split [',', 'a,b']], !Base64 x]]
Outputs:
  HomeArn:
    Condition: InHome
    Value: !GetAtt [Home, Arn]
`);
    expect(findDanglingReferences(good)).toEqual([]);
  });

  it('reports a dangling Ref, GetAtt, Sub variable, condition and DependsOn', () => {
    const bad = parseTemplate(`${header}
Resources:
  Role:
    Type: AWS::IAM::Role
    DependsOn: Missing1
    Properties:
      A: !Ref Missing2
      B: !GetAtt Missing3.Arn
      C: !Sub 'arn:\${AWS::Partition}:x:\${Missing4}'
      D: !Sub '\${Missing5.Arn}'
      E: !If [NoSuchCondition, a, b]
      F: !Ref 'AWS::NotAPseudo'
Globals:
  Function:
    Environment: { Variables: { X: !Ref Missing6 } }
`);
    const problems = findDanglingReferences(bad).join('\n');
    for (const missing of ['Missing1', 'Missing2', 'Missing3', 'Missing4', 'Missing5', 'Missing6', 'NoSuchCondition', 'AWS::NotAPseudo']) {
      expect(problems).toContain(missing);
    }
  });

  it('reports an unconditional reference to a resource that exists only under a condition', () => {
    const bad = parseTemplate(`${header}
Resources:
  Home:
    Type: AWS::SQS::Queue
    Condition: InHome
Outputs:
  HomeArn:
    Value: !GetAtt Home.Arn
`);
    expect(findDanglingReferences(bad)).toEqual([expect.stringContaining('exists only when InHome')]);
  });

  it('parses every short form in scalar, sequence and mapping shape', () => {
    const t = parseTemplate(`
Resources:
  R:
    Type: X
    Properties:
      a: !GetAtt R.Endpoint.Address
      b: !FindInMap [M, k1, k2]
      c: !GetAZs ''
      d: !ImportValue shared-export
      e: !Not [!Condition C]
      f: !And [!Equals [a, a], !Or [!Condition C, !Condition C]]
      g: !Sub { a: b }
`);
    const p = t.Resources.R?.Properties ?? {};
    expect(p.a).toEqual({ 'Fn::GetAtt': ['R', 'Endpoint.Address'] });
    expect(p.b).toEqual({ 'Fn::FindInMap': ['M', 'k1', 'k2'] });
    expect(p.c).toEqual({ 'Fn::GetAZs': '' });
    expect(p.d).toEqual({ 'Fn::ImportValue': 'shared-export' });
    expect(p.e).toEqual({ 'Fn::Not': [{ Condition: 'C' }] });
    expect(p.f).toEqual({
      'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { 'Fn::Or': [{ Condition: 'C' }, { Condition: 'C' }] }],
    });
    expect(p.g).toEqual({ 'Fn::Sub': { a: 'b' } });
  });

  it('rejects a tag CloudFormation does not define', () => {
    expect(() => parseTemplate('Resources:\n  R:\n    Type: X\n    Properties: { a: !Reff B }\n')).toThrow();
  });
});

describe('infra/template.yaml', () => {
  it('is a SAM template', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
  });

  // cfn-lint runs the SAM translator and checks every property against CloudFormation's
  // resource schemas, which catches a misspelt property name that the checks below would not.
  it.skipIf(!cfnLintFound)('passes cfn-lint (skipped where the cfn-lint CLI is not installed)', () => {
    const lint = cfnLint(templatePath);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  }, 90_000);

  it('has no dangling Ref, GetAtt, Sub, Condition or DependsOn', () => {
    expect(findDanglingReferences(template)).toEqual([]);
  });

  describe('GlobalEventTable', () => {
    const table = props('GlobalEventTable', 'AWS::DynamoDB::GlobalTable');

    it('takes its name from a parameter and bills on demand', () => {
      expect(table.TableName).toEqual({ Ref: 'TableName' });
      expect(template.Parameters?.TableName).toBeDefined();
      expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    });

    it('has a replica in us-east-1 and eu-west-1, each with point-in-time recovery', () => {
      const replicas = table.Replicas as Array<Record<string, any>>;
      expect(replicas.map((r) => r.Region).sort()).toEqual(['eu-west-1', 'us-east-1']);
      for (const replica of replicas) {
        expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      }
    });

    it('is keyed by Id (S, HASH) and streams NEW_AND_OLD_IMAGES', () => {
      expect(table.KeySchema).toEqual([{ AttributeName: 'Id', KeyType: 'HASH' }]);
      expect(table.AttributeDefinitions).toContainEqual({ AttributeName: 'Id', AttributeType: 'S' });
      expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    });

    it('has the IdempotencyIndex GSI on IdempotencyKey (S)', () => {
      const gsi = (table.GlobalSecondaryIndexes as Array<Record<string, any>>).find((g) => g.IndexName === 'IdempotencyIndex');
      expect(gsi?.KeySchema).toEqual([{ AttributeName: 'IdempotencyKey', KeyType: 'HASH' }]);
      expect(table.AttributeDefinitions).toContainEqual({ AttributeName: 'IdempotencyKey', AttributeType: 'S' });
    });

    it('expires idempotency records by TTL on ExpiresAt', () => {
      expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'ExpiresAt', Enabled: true });
    });

    it("matches the schema geosim's DynamoDB backend expects, so `geosim run --backend dynamodb` finds it", () => {
      expect(template.Parameters?.TableName?.Default).toBe(DEFAULT_TABLE_NAME);
      expect(table.TimeToLiveSpecification.AttributeName).toBe(TTL_ATTRIBUTE);
      const gsi = (table.GlobalSecondaryIndexes as Array<Record<string, any>>).find((g) => g.IndexName === IDEMPOTENCY_INDEX);
      // queryByIdempotencyKey returns whole items (src/app/table-port.ts): keys alone would not do.
      expect(gsi?.Projection).toEqual({ ProjectionType: 'ALL' });
    });

    it('is created only in the home Region, which must be one of the replica Regions', () => {
      const condition = resource('GlobalEventTable').Condition;
      expect(condition).toBeDefined();
      expect(template.Conditions?.[condition as string]).toEqual({
        'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'TableHomeRegion' }],
      });
      const allowed = template.Parameters?.TableHomeRegion?.AllowedValues as string[];
      const regions = (table.Replicas as Array<{ Region: string }>).map((r) => r.Region);
      expect([...allowed].sort()).toEqual([...regions].sort());
    });
  });

  describe('queues', () => {
    it('redrives the ingest queue into the dead-letter queue', () => {
      const redrive = props('IngestQueue', 'AWS::SQS::Queue').RedrivePolicy;
      expect(redrive.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] });
      expect(redrive.maxReceiveCount).toBeDefined();
      resource('DeadLetterQueue', 'AWS::SQS::Queue');
    });

    it('gives the ingest queue a visibility timeout of at least six function timeouts', () => {
      const timeout = (props('EventProcessorFunction').Timeout ?? (template.Globals?.Function as any)?.Timeout) as number;
      expect(props('IngestQueue').VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });
  });

  describe('EventProcessorFunction', () => {
    const fn = props('EventProcessorFunction', 'AWS::Serverless::Function');
    const globals = (template.Globals?.Function ?? {}) as Record<string, any>;
    const metadata = resource('EventProcessorFunction').Metadata as Record<string, any>;

    it('runs handler.handler on nodejs22.x with TABLE_NAME set', () => {
      expect(fn.Runtime ?? globals.Runtime).toBe('nodejs22.x');
      expect(fn.Handler).toBe('handler.handler');
      expect(fn.Environment?.Variables?.TABLE_NAME).toEqual({ Ref: 'TableName' });
    });

    it('is built by esbuild from src/aws/handler.ts into the file the handler names', () => {
      expect(metadata.BuildMethod).toBe('esbuild');
      const build = metadata.BuildProperties as Record<string, any>;
      expect(build.EntryPoints).toEqual(['src/aws/handler.ts']);
      // esbuild names the output after the entry point; Lambda then finds handler.mjs for
      // Handler handler.handler. ESM output must be .mjs: the artifact has no package.json.
      const entry = build.EntryPoints[0] as string;
      expect((fn.Handler as string).split('.')[0]).toBe(basename(entry, extname(entry)));
      expect(build.Format).toBe('esm');
      expect(build.OutExtension).toEqual(['.js=.mjs']);
      // The entry point resolves against CodeUri, which resolves against the template's folder.
      expect(resolve(dirname(templatePath), fn.CodeUri as string)).toBe(root);
    });

    it(
      'finds the esbuild entry point on disk',
      () => {
        expect(readFileSync(resolve(root, 'src/aws/handler.ts'), 'utf8')).toMatch(/export\s+(const|async function|function)\s+handler\b/);
      },
    );

    const handlerSource = resolve(root, 'src/aws/handler.ts');
    it(
      'offers only the STRATEGY and IDEMPOTENCY values the handler accepts',
      () => {
        const source = readFileSync(handlerSource, 'utf8');
        expect(fn.Environment.Variables.STRATEGY).toEqual({ Ref: 'ProcessingStrategy' });
        expect(fn.Environment.Variables.IDEMPOTENCY).toEqual({ Ref: 'IdempotencyMode' });
        // The handler reads its environment through processorOptions, which checks STRATEGY
        // against STRATEGY_NAMES (the application's strategies and their aliases) and IDEMPOTENCY
        // against the application's own list.
        expect(source).toMatch(/processorOptions\(config\.env,/);
        const optionsSource = readFileSync(resolve(root, 'src/aws/processor-env.ts'), 'utf8');
        expect(optionsSource).toContain("'IDEMPOTENCY', IDEMPOTENCY_MODES");
        const accepted: Record<string, readonly string[]> = { ProcessingStrategy: STRATEGY_NAMES, IdempotencyMode: IDEMPOTENCY_MODES };
        for (const [parameter, allowed] of Object.entries(accepted)) {
          const values = template.Parameters?.[parameter]?.AllowedValues as string[];
          expect(values.length).toBeGreaterThan(0);
          for (const value of values) expect(allowed, `${parameter}=${value}`).toContain(value);
        }
      },
    );

    it('takes events from SQS with partial batch failures, an EventBridge rule and the API', () => {
      const events = fn.Events as Record<string, { Type: string; Properties: Record<string, any> }>;
      const sqs = Object.values(events).find((e) => e.Type === 'SQS');
      expect(sqs?.Properties.Queue).toEqual({ 'Fn::GetAtt': ['IngestQueue', 'Arn'] });
      expect(sqs?.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(Object.values(events).some((e) => e.Type === 'EventBridgeRule')).toBe(true);
      const api = Object.values(events).find((e) => e.Type === 'Api');
      expect(api?.Properties.RestApiId).toEqual({ Ref: 'GeoSimApi' });
    });

    it('sends failed asynchronous invocations to the same dead-letter queue after two retries', () => {
      expect(fn.DeadLetterQueue).toEqual({ Type: 'SQS', TargetArn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } });
      expect(fn.EventInvokeConfig?.MaximumRetryAttempts).toBe(2);
    });

    it('uses the explicit least-privilege role, not a SAM-generated one with managed policies', () => {
      expect(fn.Role).toEqual({ 'Fn::GetAtt': ['EventProcessorRole', 'Arn'] });
      expect(fn.Policies).toBeUndefined();
    });
  });

  describe('RepairConsumerFunction', () => {
    const fn = props('RepairConsumerFunction', 'AWS::Serverless::Function');
    const globals = (template.Globals?.Function ?? {}) as Record<string, any>;
    const metadata = resource('RepairConsumerFunction').Metadata as Record<string, any>;
    const events = fn.Events as Record<string, { Type: string; Properties: Record<string, any> }>;
    const stream = Object.values(events).find((e) => e.Type === 'DynamoDB');
    const replicaStream = { 'Fn::If': ['IsTableHomeRegion', { 'Fn::GetAtt': ['GlobalEventTable', 'StreamArn'] }, { Ref: 'ReplicaStreamArn' }] };

    it('exists only for client-lww, and outside the home Region only when given the replica stream ARN', () => {
      expect(resource('RepairConsumerFunction').Condition).toBe('DeploysRepairConsumer');
      expect(template.Conditions?.DeploysRepairConsumer).toEqual({
        'Fn::And': [{ Condition: 'UsesClientLww' }, { 'Fn::Or': [{ Condition: 'IsTableHomeRegion' }, { Condition: 'HasReplicaStreamArn' }] }],
      });
      expect(template.Conditions?.UsesClientLww).toEqual({ 'Fn::Equals': [{ Ref: 'ProcessingStrategy' }, 'client-lww'] });
      expect(template.Conditions?.HasReplicaStreamArn).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ReplicaStreamArn' }, ''] }] });
      expect(template.Parameters?.ReplicaStreamArn).toMatchObject({ Type: 'String', Default: '' });
      // Everything that exists only for the consumer shares its condition.
      for (const name of ['RepairConsumerRole', 'RepairConsumerLogGroup']) expect(resource(name).Condition, name).toBe('DeploysRepairConsumer');
      expect(template.Outputs?.RepairConsumerFunctionArn?.Condition).toBe('DeploysRepairConsumer');
    });

    it('documents in infra/README.md how to read ReplicaStreamArn', () => {
      const readme = readFileSync(resolve(root, 'infra/README.md'), 'utf8');
      expect(readme).toContain('ReplicaStreamArn');
      expect(readme).toMatch(/aws dynamodb describe-table[^\n]*--region eu-west-1[^\n]*LatestStreamArn/);
    });

    it('runs repair-handler.handler on nodejs22.x, built by esbuild from src/aws/repair-handler.ts', () => {
      expect(fn.Runtime ?? globals.Runtime).toBe('nodejs22.x');
      expect(fn.Handler).toBe('repair-handler.handler');
      expect(fn.Environment?.Variables?.TABLE_NAME).toEqual({ Ref: 'TableName' });
      const build = metadata.BuildProperties as Record<string, any>;
      expect(metadata.BuildMethod).toBe('esbuild');
      expect(build.EntryPoints).toEqual(['src/aws/repair-handler.ts']);
      const entry = build.EntryPoints[0] as string;
      expect((fn.Handler as string).split('.')[0]).toBe(basename(entry, extname(entry)));
      expect(build.Format).toBe('esm');
      expect(build.OutExtension).toEqual(['.js=.mjs']);
      expect(resolve(dirname(templatePath), fn.CodeUri as string)).toBe(root);
      expect(readFileSync(resolve(root, entry), 'utf8')).toMatch(/export\s+const\s+handler\b/);
    });

    it("reads this Region's replica stream from LATEST with partial batch failures, bisection and bounded retries", () => {
      expect(Object.values(events).filter((e) => e.Type === 'DynamoDB')).toHaveLength(1);
      expect(stream?.Properties.Stream).toEqual(replicaStream);
      expect(stream?.Properties.StartingPosition).toBe('LATEST');
      expect(stream?.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(stream?.Properties.BisectBatchOnFunctionError).toBe(true);
      expect(stream?.Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(stream?.Properties.MaximumRetryAttempts).toBeLessThan(10_000);
    });

    it('sends the metadata of a batch that exhausted its retries to the shared dead-letter queue', () => {
      expect(stream?.Properties.DestinationConfig).toEqual({ OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } });
    });

    it('is fed only MODIFY records of data items (the filter the model applies in src/sim/simulation.ts)', () => {
      const filters = stream?.Properties.FilterCriteria?.Filters as Array<{ Pattern: string }>;
      expect(filters).toHaveLength(1);
      expect(JSON.parse(filters[0]!.Pattern)).toEqual({
        eventName: ['MODIFY'],
        dynamodb: { Keys: { Id: { S: [{ 'anything-but': { prefix: IDEMPOTENCY_PREFIX } }] } } },
      });
    });

    it('uses its own least-privilege role: the one stream, Get/PutItem on the local replica, the DLQ', () => {
      expect(fn.Role).toEqual({ 'Fn::GetAtt': ['RepairConsumerRole', 'Arn'] });
      expect(fn.Policies).toBeUndefined();
      for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
        expect(grantsOf('RepairConsumerRole', action), action).toEqual([replicaStream]);
      }
      for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem']) {
        const [arn] = grantsOf('RepairConsumerRole', action) as Array<{ 'Fn::Sub': string }>;
        expect(arn?.['Fn::Sub'], action).toMatch(/:dynamodb:\$\{AWS::Region\}:\$\{AWS::AccountId\}:table\/\$\{TableName\}$/);
      }
      for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']) expect(grantsOf('RepairConsumerRole', action), action).toEqual([]);
      expect(grantsOf('RepairConsumerRole', 'sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] }]);
      expect(grantsOf('RepairConsumerRole', 'logs:PutLogEvents')).toEqual([{ 'Fn::GetAtt': ['RepairConsumerLogGroup', 'Arn'] }]);
    });
  });

  describe('EventWorkflow', () => {
    const sm = props('EventWorkflow', 'AWS::Serverless::StateMachine');
    const definitionPath = resolve(dirname(templatePath), sm.DefinitionUri as string);
    const definitionText = readFileSync(definitionPath, 'utf8');
    const substitutions = sm.DefinitionSubstitutions as Record<string, unknown>;

    /** Placeholder values shaped like what CloudFormation substitutes at deploy time. */
    function placeholder(name: string): string {
      if (name.endsWith('Url')) return `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
      if (name.endsWith('FunctionArn')) return `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
      if (name === 'AccountId') return '123456789012';
      if (name === 'Region') return 'us-east-1';
      return `placeholder-${name}`;
    }
    const substituted = definitionText.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => placeholder(name));
    const definition = JSON.parse(substituted) as { StartAt: string; States: Record<string, any> };

    it('is a Standard workflow with a role', () => {
      expect(sm.Type).toBe('STANDARD');
      expect(sm.Role).toEqual({ 'Fn::GetAtt': ['EventWorkflowRole', 'Arn'] });
    });

    it('defines every placeholder the definition uses, and uses every one it defines', () => {
      const used = new Set(subVariables(definitionText));
      expect([...used].sort()).toEqual(Object.keys(substitutions).sort());
      expect(substituted).not.toContain('${');
    });

    it('is valid Amazon States Language (asl-validator)', () => {
      const result = validateAsl(definition);
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

    it('has a validator that rejects a broken definition (so the check above can fail)', () => {
      const broken = structuredClone(definition);
      broken.States[broken.StartAt].Catch[0].Next = 'NoSuchState';
      expect(validateAsl(broken).isValid).toBe(false);
    });

    it(
      'names in Retry/Catch only error types the handler code defines',
      () => {
        const source = ['handler.ts', 'parse-envelope.ts']
          .map((f) => resolve(root, 'src/aws', f))
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f, 'utf8'))
          .join('\n');
        const task = definition.States[definition.StartAt];
        const names = [...task.Retry, ...task.Catch].flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals);
        const own = names.filter((n: string) => !n.startsWith('States.') && !n.startsWith('Lambda.'));
        expect(own.length).toBeGreaterThan(0);
        for (const name of own) expect(source, name).toMatch(new RegExp(`class ${name} extends Error`));
      },
    );

    it('does not retry a malformed event: its retrier comes first with MaxAttempts 0', () => {
      const task = definition.States[definition.StartAt];
      const first = task.Retry.findIndex((r: { ErrorEquals: string[] }) => r.ErrorEquals.includes('MalformedEventError'));
      const generic = task.Retry.findIndex((r: { ErrorEquals: string[] }) => r.ErrorEquals.includes('States.TaskFailed'));
      expect(first).toBeGreaterThanOrEqual(0);
      expect(task.Retry[first].MaxAttempts).toBe(0);
      expect(first).toBeLessThan(generic);
    });

    it('retries the processing task and catches its failure into an SQS SendMessage to the DLQ', () => {
      const task = definition.States[definition.StartAt];
      expect(task.Type).toBe('Task');
      expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
      expect(task.Parameters.FunctionName).toBe(placeholder('EventProcessorFunctionArn'));
      expect(substitutions.EventProcessorFunctionArn).toEqual({ 'Fn::GetAtt': ['EventProcessorFunction', 'Arn'] });
      expect(task.Retry.length).toBeGreaterThan(0);
      const catcher = (task.Catch as Array<{ ErrorEquals: string[]; Next: string }>).find((c) => c.ErrorEquals.includes('States.ALL'));
      const send = definition.States[catcher?.Next ?? ''];
      expect(send.Resource).toBe('arn:aws:states:::sqs:sendMessage');
      expect(send.Parameters.QueueUrl).toBe(placeholder('DeadLetterQueueUrl'));
      expect(substitutions.DeadLetterQueueUrl).toEqual({ Ref: 'DeadLetterQueue' });
    });
  });

  describe('POST /executions', () => {
    const body = props('GeoSimApi', 'AWS::Serverless::Api').DefinitionBody as Record<string, any>;
    const integration = body.paths['/executions'].post['x-amazon-apigateway-integration'] as Record<string, any>;
    const requestTemplate = integration.requestTemplates['application/json']['Fn::Sub'] as string;

    it('calls states:StartExecution directly with the role that may do so', () => {
      expect(integration.type).toBe('aws');
      expect(integration.uri['Fn::Sub']).toMatch(/:states:action\/StartExecution$/);
      expect(integration.credentials).toEqual({ 'Fn::GetAtt': ['ApiStartExecutionRole', 'Arn'] });
      expect(props('GeoSimApi').MergeDefinitions).toBe(true);
    });

    it('names the execution after the idempotency key and starts EventWorkflow', () => {
      const mapped = requestTemplate.replace(/^#.*$/gm, '');
      // The envelope's eventId is the idempotency key the handler deduplicates on.
      expect(requestTemplate).toMatch(/#set\(\$key = \$input\.path\('\$\.eventId'\)\)/);
      expect(mapped).toMatch(/"name":\s*"\$util\.escapeJavaScript\(\$key\)"/);
      expect(mapped).toMatch(/"stateMachineArn":\s*"\$\{EventWorkflow\}"/);
    });
  });

  describe('IAM', () => {
    const statements = grantStatements(template);

    it('finds the statements it checks', () => {
      expect(statements.length).toBeGreaterThanOrEqual(8);
    });

    it('grants no wildcard action and no NotAction', () => {
      for (const { at, statement } of statements) {
        expect(statement.NotAction, at).toBeUndefined();
        for (const action of asList(statement.Action)) expect(action, at).not.toMatch(wildcard);
      }
    });

    it("grants no Resource '*' (no statement here needs one) and no NotResource", () => {
      for (const { at, statement } of statements) {
        expect(statement.NotResource, at).toBeUndefined();
        expect(statement.Resource, at).toBeDefined();
        for (const target of asList(statement.Resource as unknown)) {
          if (typeof target === 'string') expect(target, at).not.toMatch(/^\*$|:\*$/);
        }
      }
    });

    it('attaches no managed policies', () => {
      for (const [name, res] of Object.entries(template.Resources)) {
        expect((res.Properties as Record<string, any> | undefined)?.ManagedPolicyArns, name).toBeUndefined();
      }
    });

    it('scopes each service role to the one resource it touches', () => {
      expect(grantsOf('ApiStartExecutionRole', 'states:StartExecution')).toEqual([{ Ref: 'EventWorkflow' }]);
      expect(grantsOf('EventWorkflowRole', 'lambda:InvokeFunction')).toEqual([{ 'Fn::GetAtt': ['EventProcessorFunction', 'Arn'] }]);
      const dlq = { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] };
      expect(grantsOf('EventWorkflowRole', 'sqs:SendMessage')).toEqual([dlq]);
      expect(grantsOf('EventProcessorRole', 'sqs:SendMessage')).toEqual([dlq]);
      expect(grantsOf('EventProcessorRole', 'sqs:ReceiveMessage')).toEqual([{ 'Fn::GetAtt': ['IngestQueue', 'Arn'] }]);
      const [tableArn] = grantsOf('EventProcessorRole', 'dynamodb:PutItem') as Array<{ 'Fn::Sub': string }>;
      expect(tableArn?.['Fn::Sub']).toMatch(/:table\/\$\{TableName\}$/);
      const [indexArn] = grantsOf('EventProcessorRole', 'dynamodb:Query') as Array<{ 'Fn::Sub': string }>;
      expect(indexArn?.['Fn::Sub']).toMatch(/:table\/\$\{TableName\}\/index\/IdempotencyIndex$/);
      // Unconditionally, only this Region's replica: the table ARN is built with ${AWS::Region}.
      expect(tableArn?.['Fn::Sub']).toContain(':dynamodb:${AWS::Region}:');
    });

    it('reaches the other Region\'s replica only in home-region idempotency mode', () => {
      const condition = 'UsesHomeRegionIdempotency';
      expect(template.Conditions?.[condition]).toEqual({ 'Fn::Equals': [{ Ref: 'IdempotencyMode' }, 'home-region'] });
      const [both] = grantsOf('EventProcessorRole', 'dynamodb:PutItem', condition) as Array<Array<{ 'Fn::Sub': string }>>;
      expect(both?.map((arn) => /:dynamodb:([^:]+):/.exec(arn['Fn::Sub'])?.[1])).toEqual(['us-east-1', 'eu-west-1']);
    });
  });

  it('outputs the table name, both queue URLs and the state machine ARN', () => {
    const values = Object.values(template.Outputs ?? {}).map((o) => o.Value);
    expect(values).toContainEqual({ Ref: 'TableName' });
    expect(values).toContainEqual({ Ref: 'IngestQueue' });
    expect(values).toContainEqual({ Ref: 'DeadLetterQueue' });
    expect(values).toContainEqual({ Ref: 'EventWorkflow' });
  });
});
