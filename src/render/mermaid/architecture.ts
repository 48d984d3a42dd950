import { isRecord, parseTemplate, referencesIn, type CfnResource, type CfnTemplate } from './cloudformation.js';
import { escapeQuotedLabel, mermaidId } from './escape.js';

/**
 * The active-active architecture, read from the AWS template (infra/template.yaml) rather than
 * drawn by hand, so the picture follows the deployment:
 * - the regions are the `AWS::DynamoDB::GlobalTable`'s `Replicas`;
 * - the stack is deployed once per region (the template says so), so every drawn resource other
 *   than the global table appears in every region, next to that region's table replica and stream;
 * - edges come from the references between resources: function event sources (SQS, EventBridge
 *   rule, API), dead-letter targets and redrive policies, state machine substitutions, API
 *   integrations, and the table name a function is configured with;
 * - the global table replicates every replica's stream into every other replica (aws-semantics §1.1,
 *   §1.7: MREC replication runs through DynamoDB Streams).
 */
export interface Architecture {
  source: string;
  regions: string[];
  table: { id: string; name: string; streamView?: string; indexes: string[] };
  /** Per-region resources other than the table, in template order. */
  nodes: ArchNode[];
  edges: ArchEdge[];
  /** Nodes a client calls directly. */
  entryPoints: string[];
}

export type ArchNodeKind = 'api' | 'queue' | 'dead-letter-queue' | 'event-rule' | 'function' | 'state-machine';

export interface ArchNode {
  id: string;
  kind: ArchNodeKind;
  /** Second line of the node label (the first names the service). */
  name: string;
}

export interface ArchEdge {
  from: string;
  to: string;
  label: string;
}

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
const QUEUE_TYPES = new Set(['AWS::SQS::Queue']);
const STATE_MACHINE_TYPES = new Set(['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine']);
const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi']);
const GLOBAL_TABLE_TYPE = 'AWS::DynamoDB::GlobalTable';

/** Reads the architecture from template YAML. Throws with a one-line reason on a template it cannot use. */
export function describeArchitecture(template: CfnTemplate, source: string): Architecture {
  const resources = Object.entries(template.Resources);
  const tableEntry = resources.find(([, r]) => r.Type === GLOBAL_TABLE_TYPE);
  if (!tableEntry) throw new Error(`${source}: no ${GLOBAL_TABLE_TYPE} resource`);
  const [tableId, tableResource] = tableEntry;
  const tp = tableResource.Properties ?? {};
  const regions = arrayOf(tp.Replicas)
    .map((r) => (isRecord(r) ? r.Region : undefined))
    .filter((r): r is string => typeof r === 'string');
  if (regions.length === 0) throw new Error(`${source}: ${tableId} has no Replicas with a literal Region`);
  const streamView = isRecord(tp.StreamSpecification) && typeof tp.StreamSpecification.StreamViewType === 'string' ? tp.StreamSpecification.StreamViewType : undefined;
  const table = {
    id: tableId,
    name: literal(tp.TableName, template) ?? tableId,
    ...(streamView ? { streamView } : {}),
    indexes: arrayOf(tp.GlobalSecondaryIndexes).flatMap((g) => (isRecord(g) && typeof g.IndexName === 'string' ? [g.IndexName] : [])),
  };
  // A function configured with the table's name (or a Ref to it) talks to the local replica.
  const tableRefs = new Set([tableId, ...referencesIn(tp.TableName)]);

  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  const entryPoints: string[] = [];
  const deadLetterTargets = new Set<string>();
  const kindOf = (r: CfnResource): ArchNodeKind | undefined =>
    FUNCTION_TYPES.has(r.Type) ? 'function' : QUEUE_TYPES.has(r.Type) ? 'queue' : STATE_MACHINE_TYPES.has(r.Type) ? 'state-machine' : API_TYPES.has(r.Type) ? 'api' : undefined;

  for (const [id, r] of resources) {
    const kind = kindOf(r);
    if (!kind) continue;
    const p = r.Properties ?? {};
    if (kind === 'state-machine' && typeof p.Type === 'string') nodes.push({ id, kind, name: `${id} (${p.Type})` });
    else nodes.push({ id, kind, name: id });

    if (kind === 'function') {
      for (const [eventName, ev] of Object.entries(isRecord(p.Events) ? p.Events : {})) {
        if (!isRecord(ev)) continue;
        const ep = isRecord(ev.Properties) ? ev.Properties : {};
        switch (ev.Type) {
          case 'SQS':
            for (const q of referencesIn(ep.Queue)) {
              edges.push({ from: q, to: id, label: 'SQS event source' });
              entryPoints.push(q);
            }
            break;
          case 'EventBridgeRule':
          case 'CloudWatchEvent': {
            const rule = `${id}${eventName}`;
            nodes.push({ id: rule, kind: 'event-rule', name: eventName });
            edges.push({ from: rule, to: id, label: 'async invoke' });
            entryPoints.push(rule);
            break;
          }
          case 'Api':
            for (const api of referencesIn(ep.RestApiId)) {
              const route = [typeof ep.Method === 'string' ? ep.Method.toUpperCase() : '', typeof ep.Path === 'string' ? ep.Path : ''].join(' ').trim();
              edges.push({ from: api, to: id, label: route || 'invoke' });
            }
            break;
          case 'DynamoDB': {
            edges.push({ from: `${tableId}Stream`, to: id, label: 'stream records' });
            // A stream event source's on-failure destination receives the failed batch's metadata.
            const onFailure = isRecord(ep.DestinationConfig) ? referencesIn(ep.DestinationConfig.OnFailure) : [];
            for (const d of onFailure) {
              edges.push({ from: id, to: d, label: 'failed batches' });
              deadLetterTargets.add(d);
            }
            break;
          }
          default:
            break;
        }
      }
      const dlq = isRecord(p.DeadLetterQueue) ? referencesIn(p.DeadLetterQueue.TargetArn) : [];
      for (const q of dlq) {
        edges.push({ from: id, to: q, label: 'failed async events' });
        deadLetterTargets.add(q);
      }
      const onFailure = isRecord(p.EventInvokeConfig) ? referencesIn((p.EventInvokeConfig as Record<string, unknown>).DestinationConfig) : [];
      for (const d of onFailure) edges.push({ from: id, to: d, label: 'on failure' });
      const env = isRecord(p.Environment) ? p.Environment.Variables : undefined;
      if (referencesIn(env).some((ref) => tableRefs.has(ref))) edges.push({ from: id, to: tableId, label: 'conditional writes' });
    }
    if (kind === 'queue' && isRecord(p.RedrivePolicy)) {
      const receives = literal(p.RedrivePolicy.maxReceiveCount, template);
      for (const q of referencesIn(p.RedrivePolicy.deadLetterTargetArn)) {
        edges.push({ from: id, to: q, label: receives ? `after ${receives} receives` : 'redrive' });
        deadLetterTargets.add(q);
      }
    }
    if (kind === 'state-machine' && isRecord(p.DefinitionSubstitutions)) {
      for (const ref of referencesIn(p.DefinitionSubstitutions)) {
        const target = template.Resources[ref];
        if (target && FUNCTION_TYPES.has(target.Type)) edges.push({ from: id, to: ref, label: 'invoke' });
        else if (target && QUEUE_TYPES.has(target.Type)) {
          edges.push({ from: id, to: ref, label: 'failed executions' });
        }
      }
    }
    if (kind === 'api') {
      entryPoints.push(id);
      const paths = isRecord(p.DefinitionBody) && isRecord(p.DefinitionBody.paths) ? p.DefinitionBody.paths : {};
      for (const [path, methods] of Object.entries(paths)) {
        for (const [method, op] of Object.entries(isRecord(methods) ? methods : {})) {
          const integration = isRecord(op) ? op['x-amazon-apigateway-integration'] : undefined;
          for (const ref of referencesIn(integration)) {
            const target = template.Resources[ref];
            if (target && kindOf(target)) edges.push({ from: id, to: ref, label: `${method.toUpperCase()} ${path}` });
          }
        }
      }
    }
  }

  for (const n of nodes) if (n.kind === 'queue' && deadLetterTargets.has(n.id)) n.kind = 'dead-letter-queue';
  const drawn = new Set([...nodes.map((n) => n.id), tableId, `${tableId}Stream`]);
  return {
    source,
    regions,
    table,
    nodes,
    edges: dedupe(edges.filter((e) => drawn.has(e.from) && drawn.has(e.to))),
    entryPoints: [...new Set(entryPoints)].filter((id) => drawn.has(id) && !deadLetterTargets.has(id)),
  };
}

/** Template YAML -> Mermaid flowchart text (deterministic bytes). */
export function architectureDiagram(templateText: string, source: string): string {
  return architectureMermaid(describeArchitecture(parseTemplate(templateText), source));
}

const SERVICE: Record<ArchNodeKind, string> = {
  api: 'API Gateway',
  queue: 'SQS queue',
  'dead-letter-queue': 'SQS dead-letter queue',
  'event-rule': 'EventBridge rule',
  function: 'Lambda',
  'state-machine': 'Step Functions',
};

function shape(kind: ArchNodeKind | 'table' | 'stream', label: string): string {
  const q = `"${label}"`;
  switch (kind) {
    case 'api':
      return `([${q}])`;
    case 'queue':
    case 'dead-letter-queue':
      return `[[${q}]]`;
    case 'event-rule':
      return `>${q}]`;
    case 'function':
      return `[${q}]`;
    case 'state-machine':
      return `{{${q}}}`;
    case 'table':
      return `[(${q})]`;
    case 'stream':
      return `[/${q}/]`;
  }
}

function lines(...parts: string[]): string {
  return parts.map(escapeQuotedLabel).join('<br/>');
}

/** Mermaid flowchart of an {@link Architecture}: one subgraph per region, replication between them. */
export function architectureMermaid(a: Architecture): string {
  const out: string[] = [];
  const nid = (region: string, id: string): string => `${mermaidId(region)}__${mermaidId(id)}`;
  const streamId = `${a.table.id}Stream`;
  out.push(`%% Generated by geosim diagram from ${a.source}. Do not edit.`);
  out.push('flowchart LR');
  out.push(`  clients(["${lines('Clients')}"])`);
  for (const region of a.regions) {
    out.push(`  subgraph ${mermaidId(region)}["${escapeQuotedLabel(region)}"]`);
    out.push('    direction TB');
    for (const n of a.nodes) out.push(`    ${nid(region, n.id)}${shape(n.kind, lines(SERVICE[n.kind], n.name))}:::${classOf(n.kind)}`);
    const indexes = a.table.indexes.length > 0 ? [`GSI ${a.table.indexes.join(', ')}`] : [];
    out.push(`    ${nid(region, a.table.id)}${shape('table', lines('DynamoDB table replica', a.table.name, ...indexes))}:::table`);
    out.push(`    ${nid(region, streamId)}${shape('stream', lines('DynamoDB stream', a.table.streamView ?? 'stream'))}:::table`);
    out.push('  end');
  }
  for (const region of a.regions) {
    for (const id of a.entryPoints) out.push(`  clients --> ${nid(region, id)}`);
    for (const e of a.edges) out.push(`  ${nid(region, e.from)} -->|"${escapeQuotedLabel(e.label)}"| ${nid(region, e.to)}`);
    out.push(`  ${nid(region, a.table.id)} -->|"${escapeQuotedLabel('change records')}"| ${nid(region, streamId)}`);
  }
  // Every replica's stream feeds every other replica: asynchronous, last writer wins (§1.1-§1.3).
  for (const from of a.regions) {
    for (const to of a.regions) {
      if (from === to) continue;
      out.push(`  ${nid(from, streamId)} ==>|"${escapeQuotedLabel(`replication to ${to} (async, LWW)`)}"| ${nid(to, a.table.id)}`);
    }
  }
  // The same region tints as the sequence diagrams' boxes.
  a.regions.forEach((region, i) => out.push(`  style ${mermaidId(region)} fill:${REGION_TINTS[i % REGION_TINTS.length]},stroke:#8a9bb0`));
  out.push('  classDef lambda fill:#fff4e0,stroke:#d98200,color:#222');
  out.push('  classDef queue fill:#fde7ef,stroke:#c2185b,color:#222');
  out.push('  classDef dlq fill:#fbd0d0,stroke:#b71c1c,color:#222');
  out.push('  classDef workflow fill:#ede4f7,stroke:#6a1b9a,color:#222');
  out.push('  classDef entry fill:#e3f0fb,stroke:#1565c0,color:#222');
  out.push('  classDef table fill:#e6f4ea,stroke:#2e7d32,color:#222');
  return `${out.join('\n')}\n`;
}

const REGION_TINTS = ['#e8f1fc', '#fcf0e4', '#eaf7ea', '#f3ecfa'];

function classOf(kind: ArchNodeKind): string {
  switch (kind) {
    case 'function':
      return 'lambda';
    case 'queue':
      return 'queue';
    case 'dead-letter-queue':
      return 'dlq';
    case 'state-machine':
      return 'workflow';
    case 'api':
    case 'event-rule':
      return 'entry';
  }
}

/** A plain value, following a Ref to a parameter's Default. */
function literal(v: unknown, template: CfnTemplate): string | undefined {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (isRecord(v) && typeof v.Ref === 'string') {
    const d = template.Parameters?.[v.Ref]?.Default;
    if (typeof d === 'string' || typeof d === 'number') return String(d);
  }
  return undefined;
}

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function dedupe(edges: ArchEdge[]): ArchEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}|${e.to}|${e.label}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
