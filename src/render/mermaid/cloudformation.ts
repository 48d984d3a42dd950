import { parse, type Tags } from 'yaml';

/** The parts of a CloudFormation / SAM template the architecture diagram reads. */
export interface CfnTemplate {
  Description?: string;
  Parameters?: Record<string, { Default?: unknown }>;
  Resources: Record<string, CfnResource>;
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
}

// The intrinsic functions with a YAML short form (`!Ref X`, `!GetAtt A.Arn`, `!Sub ...`). Each
// short form is read as its long JSON form (`{ Ref: X }`, `{ 'Fn::GetAtt': [A, Arn] }`), whatever
// node it is written on (scalar, sequence or mapping).
const INTRINSICS = [
  'Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'And', 'Or', 'Not',
  'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Cidr', 'Transform', 'ToJsonString', 'Length',
] as const;

const CFN_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (value: unknown): Record<string, unknown> => ({
    [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value,
  });
  return [
    { tag: `!${name}`, resolve: (source: string) => wrap(source) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()) },
  ];
}) as unknown as Tags;

/** Parses template YAML with the CloudFormation short forms. Throws on YAML errors. */
export function parseTemplate(text: string): CfnTemplate {
  const doc = parse(text, { customTags: CFN_TAGS, maxAliasCount: 50 }) as unknown;
  if (!isRecord(doc) || !isRecord(doc.Resources)) throw new Error('not a CloudFormation template: no Resources mapping');
  return doc as unknown as CfnTemplate;
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
