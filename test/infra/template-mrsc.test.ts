import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTemplate, type CfnTemplate } from '../../src/render/mermaid/cloudformation.js';
import { findDanglingReferences } from '../helpers/cfn-references.js';
import { DEFAULT_STRATEGY, IDEMPOTENCY_MODES } from '../../src/app/event-processor.js';
import type { TablePort } from '../../src/app/table-port.js';
import { CONSISTENCY_MODES, processorOptions, STRATEGY_NAMES } from '../../src/aws/processor-env.js';
import { DEFAULT_TABLE_NAME, scenarioTableDefinition } from '../../src/backends/dynamodb/schema.js';
import { MRSC_REGION_SETS } from '../../src/scenario/mrsc-checks.js';
import { cfnLint, cfnLintFound } from '../helpers/cfn-lint.js';

// the model's list, which its load checks enforce: the template's Rules must accept exactly these
const ALL_MRSC_REGIONS = Object.values(MRSC_REGION_SETS).flat();

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const templatePath = resolve(root, 'infra/template-mrsc.yaml');
const template = parseTemplate(readFileSync(templatePath, 'utf8'));
const mrec = parseTemplate(readFileSync(resolve(root, 'infra/template.yaml'), 'utf8'));
// parseTemplate's type names the sections the diagram reads; Rules is there all the same.
const rules = (template as CfnTemplate & { Rules?: Record<string, { Assertions: Array<{ Assert: unknown; AssertDescription: string }> }> }).Rules ?? {};

type Params = Record<string, string>;

function defaults(t: CfnTemplate): Params {
  return Object.fromEntries(Object.entries(t.Parameters ?? {}).map(([name, p]) => [name, String(p.Default ?? '')]));
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * What CloudFormation would make of a value for these parameters: Ref, Fn::If (with the template's
 * Conditions), Fn::Equals/And/Or/Not, and the rule functions Fn::Contains; AWS::NoValue drops a list
 * item or a property. Enough for the table's Replicas and witnesses and for the Rules.
 */
function evaluate(value: unknown, params: Params): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, params)).filter((v) => v !== NO_VALUE);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    const args = () => arg as unknown[];
    switch (key) {
      case 'Ref':
        if (arg === 'AWS::NoValue') return NO_VALUE;
        if (!(String(arg) in params)) throw new Error(`Ref ${String(arg)} has no value`);
        return params[arg as string];
      case 'Condition':
        return evaluate(template.Conditions?.[arg as string], params);
      case 'Fn::If':
        return evaluate(evaluate({ Condition: args()[0] }, params) ? args()[1] : args()[2], params);
      case 'Fn::Equals':
        return evaluate(args()[0], params) === evaluate(args()[1], params);
      case 'Fn::And':
        return args().every((a) => evaluate(a, params) === true);
      case 'Fn::Or':
        return args().some((a) => evaluate(a, params) === true);
      case 'Fn::Not':
        return evaluate(args()[0], params) !== true;
      case 'Fn::Contains':
        return (evaluate(args()[0], params) as unknown[]).includes(evaluate(args()[1], params));
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, params)]).filter(([, v]) => v !== NO_VALUE));
}

/** The rules whose assertions fail for these parameters (CloudFormation refuses the stack). */
function failedRules(params: Params): string[] {
  return Object.entries(rules)
    .filter(([, rule]) => rule.Assertions.some((a) => evaluate(a.Assert, params) !== true))
    .map(([name]) => name);
}

/** The table CloudFormation would create with these parameters. */
function tableFor(overrides: Params): { replicas: string[]; witnesses: string[]; props: Record<string, any> } {
  const params = { ...defaults(template), ...overrides, 'AWS::Region': overrides.TableHomeRegion ?? defaults(template).TableHomeRegion! };
  const props = evaluate(template.Resources.GlobalEventTable?.Properties, params) as Record<string, any>;
  return {
    replicas: (props.Replicas as Array<{ Region: string }>).map((r) => r.Region),
    witnesses: ((props.GlobalTableWitnesses ?? []) as Array<{ Region: string }>).map((w) => w.Region),
    props,
  };
}

function setOf(region: string): string | undefined {
  return Object.keys(MRSC_REGION_SETS).find((name) => MRSC_REGION_SETS[name]!.includes(region));
}

describe('infra/template-mrsc.yaml', () => {
  it('is a SAM template whose every Ref, GetAtt, Sub, Condition and DependsOn resolves', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(findDanglingReferences(template)).toEqual([]);
    // The checker does not walk Rules: their Refs must name parameters.
    const refs = JSON.stringify(rules).match(/"Ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(Object.keys(template.Parameters ?? {})).toContain(ref.slice(7, -1));
  });

  // cfn-lint checks every property against CloudFormation's resource schemas (it knows
  // MultiRegionConsistency's values and GlobalTableWitness's one property, Region).
  it.skipIf(!cfnLintFound)('passes cfn-lint (skipped where the cfn-lint CLI is not installed)', () => {
    const lint = cfnLint(templatePath);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  }, 90_000);

  describe('GlobalEventTable', () => {
    const { props } = tableFor({});

    it('is an MRSC global table, created only by the home Region stack', () => {
      expect(template.Resources.GlobalEventTable?.Type).toBe('AWS::DynamoDB::GlobalTable');
      expect(props.MultiRegionConsistency).toBe('STRONG');
      expect(template.Resources.GlobalEventTable?.Condition).toBe('IsTableHomeRegion');
      expect(template.Conditions?.IsTableHomeRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'TableHomeRegion' }] });
    });

    it('has no TTL, no local secondary index and no stream (MRSC supports no TTL or LSI; nothing reads a stream)', () => {
      expect(props).not.toHaveProperty('TimeToLiveSpecification');
      expect(props).not.toHaveProperty('LocalSecondaryIndexes');
      expect(props).not.toHaveProperty('StreamSpecification');
    });

    it("has the keys and GSI of the model's table and of template.yaml", () => {
      const model = scenarioTableDefinition(DEFAULT_TABLE_NAME);
      expect(template.Parameters?.TableName?.Default).toBe(DEFAULT_TABLE_NAME);
      expect(props.TableName).toBe(DEFAULT_TABLE_NAME);
      expect(props.BillingMode).toBe(model.BillingMode);
      expect(props.KeySchema).toEqual(model.KeySchema);
      expect(props.AttributeDefinitions).toEqual(model.AttributeDefinitions);
      expect(props.GlobalSecondaryIndexes).toEqual(model.GlobalSecondaryIndexes);
      const mrecTable = mrec.Resources.GlobalEventTable?.Properties ?? {};
      for (const key of ['KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'BillingMode']) expect(props[key], key).toEqual(mrecTable[key]);
    });

    it('has three replicas by default, each with point-in-time recovery, in one Region set', () => {
      const { replicas, witnesses, props: p } = tableFor({});
      expect(replicas).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
      expect(witnesses).toEqual([]);
      expect(p).not.toHaveProperty('GlobalTableWitnesses');
      for (const replica of p.Replicas) expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(new Set(replicas.map(setOf))).toEqual(new Set(['US']));
    });

    it('has two replicas and a witness in the third Region with ThirdRegionRole=witness', () => {
      const { replicas, witnesses } = tableFor({ ThirdRegionRole: 'witness' });
      expect(replicas).toEqual(['us-east-1', 'us-east-2']);
      expect(witnesses).toEqual(['us-west-2']);
      const eu = tableFor({ TableHomeRegion: 'eu-west-1', SecondReplicaRegion: 'eu-central-1', ThirdRegion: 'eu-west-3', ThirdRegionRole: 'witness' });
      expect(eu.replicas).toEqual(['eu-west-1', 'eu-central-1']);
      expect(eu.witnesses).toEqual(['eu-west-3']);
    });
  });

  describe('Regions', () => {
    const regionParams = ['TableHomeRegion', 'SecondReplicaRegion', 'ThirdRegion'];

    it("offers exactly the Regions of AWS's MRSC Region sets", () => {
      for (const name of regionParams) expect([...(template.Parameters?.[name]?.AllowedValues as string[])].sort(), name).toEqual([...ALL_MRSC_REGIONS].sort());
      expect(template.Parameters?.ThirdRegionRole?.AllowedValues).toEqual(['replica', 'witness']);
    });

    it('accepts the defaults', () => {
      expect(failedRules(defaults(template))).toEqual([]);
    });

    it('refuses us-east-1 with eu-west-1 (two Region sets), naming the sets', () => {
      expect(failedRules({ ...defaults(template), SecondReplicaRegion: 'eu-west-1' })).toEqual(['RegionsInOneSet']);
      const description = rules.RegionsInOneSet?.Assertions[0]?.AssertDescription ?? '';
      for (const [name, regions] of Object.entries(MRSC_REGION_SETS)) expect(description).toContain(`${name} (${regions.join(', ')})`);
    });

    it('refuses a Region named twice', () => {
      expect(failedRules({ ...defaults(template), ThirdRegion: 'us-east-1' })).toEqual(['RegionsDistinct']);
    });

    it('accepts exactly the triples the model accepts: three different Regions of one set', () => {
      let accepted = 0;
      const disagreements: string[] = [];
      for (const a of ALL_MRSC_REGIONS) {
        for (const b of ALL_MRSC_REGIONS) {
          for (const c of ALL_MRSC_REGIONS) {
            const model = new Set([a, b, c]).size === 3 && new Set([a, b, c].map(setOf)).size === 1;
            for (const role of ['replica', 'witness']) {
              const params = { ...defaults(template), TableHomeRegion: a, SecondReplicaRegion: b, ThirdRegion: c, ThirdRegionRole: role };
              const rulesAccept = failedRules(params).length === 0;
              if (rulesAccept !== model) disagreements.push(`${a} ${b} ${c} ${role}: rules ${rulesAccept ? 'accept' : 'refuse'}`);
              if (rulesAccept) accepted++;
            }
          }
        }
      }
      expect(disagreements).toEqual([]);
      // 3*2*1 ordered triples in US and AP, 4*3*2 in EU, each as replica or witness.
      expect(accepted).toBe((6 + 24 + 6) * 2);
    });
  });

  describe('EventProcessorFunction', () => {
    const fn = template.Resources.EventProcessorFunction?.Properties as Record<string, any>;
    const variables = fn.Environment.Variables as Record<string, unknown>;

    it('runs the processor in MRSC mode: record, then change, no TransactWriteItems', () => {
      expect(variables.CONSISTENCY).toBe('mrsc');
      expect(CONSISTENCY_MODES).toContain(variables.CONSISTENCY);
      expect(variables).not.toHaveProperty('HOME_REGIONS');
    });

    it('offers only strategies and idempotency modes the handler accepts on MRSC', () => {
      const strategies = template.Parameters?.ProcessingStrategy?.AllowedValues as string[];
      const modes = template.Parameters?.IdempotencyMode?.AllowedValues as string[];
      expect(strategies).toContain('lww-item');
      expect(template.Parameters?.ProcessingStrategy?.Default).toBe(DEFAULT_STRATEGY);
      for (const s of strategies) expect(STRATEGY_NAMES).toContain(s);
      for (const m of modes) expect(IDEMPOTENCY_MODES as readonly string[]).toContain(m);
      expect(modes).not.toContain('home-region');
      // Every combination the template allows is one processorOptions accepts, with consistency mrsc.
      const portFor = (region: string) => ({ region }) as unknown as TablePort;
      for (const strategy of strategies) {
        for (const mode of modes) {
          const params = { ...defaults(template), ProcessingStrategy: strategy, IdempotencyMode: mode };
          const env = { ...(evaluate(variables, params) as Record<string, string>), AWS_REGION: 'us-east-2' };
          expect(processorOptions(env, portFor, () => 0).consistency, `${strategy} ${mode}`).toBe('mrsc');
        }
      }
    });
  });

  describe('IAM', () => {
    const statements = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .flatMap(([name, r]) =>
        ((r.Properties as Record<string, any>).Policies as Array<Record<string, any>>).flatMap((p) =>
          (p.PolicyDocument.Statement as Array<Record<string, any>>).map((s) => ({ at: `${name}.${String(p.PolicyName)}`, ...s })),
        ),
      );

    it('grants no transaction-only action and no Resource "*"', () => {
      expect(statements.length).toBeGreaterThanOrEqual(6);
      for (const s of statements) {
        expect(s.Action, s.at).not.toContain('dynamodb:ConditionCheckItem');
        for (const target of [s.Resource].flat()) if (typeof target === 'string') expect(target, s.at).not.toMatch(/^\*$|:\*$/);
      }
    });

    it("reaches only this Region's replica", () => {
      const table = statements.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
      expect(table.map((s) => s.Resource)).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}' }]);
    });
  });

  describe('the application around the table is template.yaml\'s', () => {
    // The MRSC template repeats template.yaml's application; this keeps the copies from drifting.
    // Differences: the table, the function's environment, the role's table grants, and no repair consumer.
    const strip = (name: string, t: CfnTemplate) => {
      const r = structuredClone(t.Resources[name]) as Record<string, any>;
      if (name === 'EventProcessorFunction') delete r.Properties.Environment;
      if (name === 'EventProcessorRole') r.Properties.Policies = r.Properties.Policies.filter((p: Record<string, unknown>) => p.PolicyName !== 'local-replica-access' && !('Fn::If' in p));
      return r;
    };

    it('has every resource of template.yaml but the repair consumer, and the same ones', () => {
      const expected = Object.keys(mrec.Resources).filter((n) => !n.startsWith('RepairConsumer'));
      expect(Object.keys(template.Resources).sort()).toEqual(expected.sort());
      expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(Object.keys(mrec.Outputs ?? {}).filter((n) => !n.startsWith('RepairConsumer')).sort());
    });

    it.each(Object.keys(template.Resources).filter((n) => n !== 'GlobalEventTable'))('%s matches template.yaml apart from the MRSC differences', (name) => {
      expect(strip(name, template)).toEqual(strip(name, mrec));
    });

    it('keeps the same Globals', () => {
      expect(template.Globals).toEqual(mrec.Globals);
    });
  });
});
