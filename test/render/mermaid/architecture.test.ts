import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { architectureDiagram, describeArchitecture } from '../../../src/render/mermaid/architecture.js';
import { parseTemplate, referencesIn } from '../../../src/render/mermaid/cloudformation.js';
import { parseDiagram } from './headless-mermaid.js';

const TEMPLATE = readFileSync(join(import.meta.dirname, '../../../infra/template.yaml'), 'utf8');

describe('CloudFormation short forms', () => {
  it('reads !Ref, !GetAtt (both forms) and !Sub (both forms) as their long forms and finds the references', () => {
    const t = parseTemplate(`
Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      X: !Ref B
      Y: !GetAtt C.Arn
      Z: !GetAtt [D, Arn]
      S: !Sub arn:\${AWS::Partition}:x:\${E}/\${F.Name}
      T: !Sub ['\${G}', { G: !Ref H }]
      U: !If [Cond, !Ref I, !Ref 'AWS::NoValue']
`);
    const p = t.Resources.A!.Properties!;
    expect(p.X).toEqual({ Ref: 'B' });
    expect(p.Y).toEqual({ 'Fn::GetAtt': ['C', 'Arn'] });
    expect(p.Z).toEqual({ 'Fn::GetAtt': ['D', 'Arn'] });
    expect(referencesIn(p)).toEqual(['B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
  });

  it('refuses a file without Resources', () => {
    expect(() => parseTemplate('a: 1\n')).toThrow(/no Resources/);
  });
});

describe('the architecture of infra/template.yaml', () => {
  const arch = describeArchitecture(parseTemplate(TEMPLATE), 'infra/template.yaml');

  it('takes the regions from the global table replicas', () => {
    expect(arch.regions).toEqual(['us-east-1', 'eu-west-1']);
    // The table's name is a Ref to the TableName parameter: its Default is shown.
    const name = parseTemplate(TEMPLATE).Parameters?.TableName?.Default;
    expect(typeof name).toBe('string');
    expect(arch.table).toMatchObject({ id: 'GlobalEventTable', name, streamView: 'NEW_AND_OLD_IMAGES', indexes: ['IdempotencyIndex'] });
  });

  it('finds the Lambda, the queues, the dead-letter queue, Step Functions and the entry points', () => {
    const kinds = Object.fromEntries(arch.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toMatchObject({
      EventProcessorFunction: 'function',
      IngestQueue: 'queue',
      DeadLetterQueue: 'dead-letter-queue',
      EventWorkflow: 'state-machine',
      GeoSimApi: 'api',
      EventProcessorFunctionEventBusRule: 'event-rule',
    });
    expect(arch.nodes.some((n) => n.id.endsWith('Role') || n.id.endsWith('LogGroup'))).toBe(false);
    expect(arch.entryPoints.sort()).toEqual(['EventProcessorFunctionEventBusRule', 'GeoSimApi', 'IngestQueue']);
  });

  it('draws the edges the template references imply', () => {
    const edges = arch.edges.map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'IngestQueue -> EventProcessorFunction',
        'IngestQueue -> DeadLetterQueue',
        'EventProcessorFunction -> DeadLetterQueue',
        'EventProcessorFunction -> GlobalEventTable',
        'EventWorkflow -> EventProcessorFunction',
        'EventWorkflow -> DeadLetterQueue',
        'GeoSimApi -> EventProcessorFunction',
        'GeoSimApi -> EventWorkflow',
      ]),
    );
  });

  it('draws the client-lww repair consumer: replica stream -> consumer -> table replica, failed batches -> DLQ', () => {
    expect(arch.nodes.find((n) => n.id === 'RepairConsumerFunction')?.kind).toBe('function');
    expect(arch.edges).toEqual(
      expect.arrayContaining([
        { from: 'GlobalEventTableStream', to: 'RepairConsumerFunction', label: 'stream records' },
        { from: 'RepairConsumerFunction', to: 'GlobalEventTable', label: 'conditional writes' },
        { from: 'RepairConsumerFunction', to: 'DeadLetterQueue', label: 'failed batches' },
      ]),
    );
  });

  it('is a valid Mermaid flowchart with one subgraph per region and replication both ways', async () => {
    const mmd = architectureDiagram(TEMPLATE, 'infra/template.yaml');
    await expect(parseDiagram(mmd)).resolves.toMatchObject({ type: 'flowchart-v2' });
    expect(mmd).toContain('subgraph us_east_1["us-east-1"]');
    expect(mmd).toContain('subgraph eu_west_1["eu-west-1"]');
    expect(mmd).toContain('us_east_1__GlobalEventTableStream ==>|"replication to eu-west-1 (async, LWW)"| eu_west_1__GlobalEventTable');
    expect(mmd).toContain('eu_west_1__GlobalEventTableStream ==>|"replication to us-east-1 (async, LWW)"| us_east_1__GlobalEventTable');
    expect(architectureDiagram(TEMPLATE, 'infra/template.yaml')).toBe(mmd);
  });
});

describe('other templates', () => {
  const minimal = (regions: string[]): string => `
Resources:
  T:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: plain
      Replicas:
${regions.map((r) => `        - Region: ${r}`).join('\n')}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment: { Variables: { TABLE: !Ref T } }
`;

  it('draws every replica region and replication between every pair', async () => {
    const mmd = architectureDiagram(minimal(['us-east-1', 'eu-west-1', 'ap-south-1']), 't.yaml');
    expect(mmd.match(/==>/g)).toHaveLength(6);
    expect(mmd).toContain('ap_south_1__Fn -->|"conditional writes"| ap_south_1__T');
    await expect(parseDiagram(mmd)).resolves.toMatchObject({ type: 'flowchart-v2' });
  });

  it('refuses a tag CloudFormation does not define rather than drawing around it', () => {
    expect(() => architectureDiagram(minimal(['us-east-1']).replace('!Ref T', '!Reff T'), 't.yaml')).toThrow(/!Reff/);
  });

  it('says what is missing when there is no global table', () => {
    expect(() => architectureDiagram('Resources:\n  Q: { Type: AWS::SQS::Queue }\n', 't.yaml')).toThrow('t.yaml: no AWS::DynamoDB::GlobalTable resource');
  });
});
