import { parseDocument, type CollectionTag, type ScalarTag } from 'yaml';

/**
 * geosim's one reader of CloudFormation / SAM templates such as `infra/template.yaml`: YAML with
 * CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) read as their long forms
 * (`{ Ref: x }`, `{ 'Fn::GetAtt': [r, a] }`, ...). The architecture diagram draws from it; the
 * template tests read it too (their reference checker is test/helpers/cfn-references.ts).
 *
 * @example
 * const template = parseTemplate(readFileSync('infra/template.yaml', 'utf8'));
 * referencesIn(template.Resources.MyFunction); // logical ids it refers to
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

export interface CfnOutput {
  Value: unknown;
  Condition?: string;
  Description?: string;
  [key: string]: unknown;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Description?: string;
  Parameters?: Record<string, Record<string, unknown>>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Globals?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

// The intrinsic functions with a YAML short form. `!Ref` and `!Condition` keep their bare names
// as long-form keys; every other one is `Fn::<name>`.
const INTRINSICS = [
  'Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'And', 'Or', 'Not',
  'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Cidr', 'Transform', 'ToJsonString', 'Length',
] as const;

function scalarValue(name: string, key: string, value: string): Record<string, unknown> {
  // `!GetAtt Res.Attr` is the scalar form of `Fn::GetAtt: [Res, Attr]`; the attribute itself
  // may contain dots (e.g. Endpoint.Address), so split at the first one only.
  if (name === 'GetAtt') {
    const dot = value.indexOf('.');
    return { [key]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [key]: value };
}

/** The `yaml` custom tags for every short form, whatever node it is written on (scalar, sequence or mapping). */
const CFN_TAGS: Array<ScalarTag | CollectionTag> = INTRINSICS.flatMap((name): Array<ScalarTag | CollectionTag> => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => scalarValue(name, key, value) },
    { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
    { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
  ];
});

/**
 * Parses template text. Throws on YAML errors and on warnings too: `yaml` only warns about an
 * unknown tag such as `!Reff`, which CloudFormation would reject.
 */
export function parseTemplate(text: string): CfnTemplate {
  const doc = parseDocument(text, { customTags: CFN_TAGS, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  // yaml's pretty message is "what at line L, column C:" then the source excerpt: the first line says it.
  if (problems.length > 0) throw new Error(problems.map((p) => p.message.split('\n')[0]!.replace(/:$/, '')).join('; '));
  // Bounds alias expansion (billion laughs) in a template someone hands the diagram.
  const value: unknown = doc.toJS({ maxAliasCount: 50 });
  if (!isRecord(value) || !isRecord(value.Resources)) throw new Error('not a CloudFormation template: no Resources mapping');
  return value as unknown as CfnTemplate;
}

/**
 * Logical ids a value refers to, in document order: `Ref`, `Fn::GetAtt` and `${Name}` /
 * `${Name.Attr}` inside `Fn::Sub` strings. Pseudo parameters (`AWS::Region`) are left out.
 */
export function referencesIn(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isRecord(v)) return;
    for (const [k, inner] of Object.entries(v)) {
      if (k === 'Ref' && typeof inner === 'string') out.push(inner);
      else if (k === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') out.push(inner[0]);
      else if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(inner) ? inner : [inner, undefined];
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) out.push(m[1] as string);
        }
        visit(vars);
      } else visit(inner);
    }
  };
  visit(value);
  return out.filter((id) => !id.startsWith('AWS::'));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
