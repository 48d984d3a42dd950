import { isRecord, type CfnTemplate } from '../../src/render/mermaid/cloudformation.js';

/**
 * A check that every reference in a CloudFormation template points at something the template
 * declares, for the template tests (test/infra/template.test.ts). It reads what
 * `parseTemplate` (src/render/mermaid/cloudformation.ts) returns.
 *
 * @example
 * const problems = findDanglingReferences(parseTemplate(text)); // [] when every Ref/GetAtt/Sub resolves
 */

/** Pseudo parameters any `Ref` or `${}` may name. */
const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** One reference found in a template. */
interface TemplateReference {
  kind: 'Ref' | 'GetAtt' | 'Sub' | 'Condition' | 'DependsOn';
  target: string;
  /** Where it was found, e.g. `Resources.MyRole.Properties.Policies.0`. */
  at: string;
}

/** `${Name}` and `${Res.Attr}` in a Fn::Sub string; `${!Literal}` is an escape, not a reference. */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const inner = (match[1] ?? '').trim();
    if (!inner.startsWith('!')) names.push(inner);
  }
  return names;
}

// referencesIn (the diagram's walker) only lists logical ids; this one also needs the kind of each
// reference, where it is, and whether it sits inside Fn::If, so it walks the template itself.
interface WalkState {
  /** Inside a branch of Fn::If, where a conditional resource may be referenced. */
  guarded: boolean;
}

function walk(value: unknown, at: string, state: WalkState, out: Array<TemplateReference & WalkState>): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${at}.${i}`, state, out));
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0] as string;
    const arg = value[key];
    if (key === 'Ref' && typeof arg === 'string') {
      out.push({ kind: 'Ref', target: arg, at, ...state });
      return;
    }
    if (key === 'Condition' && typeof arg === 'string') {
      out.push({ kind: 'Condition', target: arg, at, ...state });
      return;
    }
    if (key === 'Fn::GetAtt') {
      const parts = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg : [];
      const target = parts[0];
      if (typeof target === 'string') out.push({ kind: 'GetAtt', target, at, ...state });
      return;
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [undefined, {}];
      const local = new Set(isRecord(vars) ? Object.keys(vars) : []);
      if (typeof text === 'string') {
        for (const name of subVariables(text)) {
          const target = name.split('.')[0] ?? name;
          if (!local.has(name) && !local.has(target)) out.push({ kind: 'Sub', target: name, at, ...state });
        }
      }
      if (isRecord(vars)) walk(vars, `${at}.Fn::Sub.1`, state, out);
      return;
    }
    if (key === 'Fn::If' && Array.isArray(arg)) {
      const [condition, whenTrue, whenFalse] = arg as unknown[];
      if (typeof condition === 'string') out.push({ kind: 'Condition', target: condition, at, ...state });
      walk(whenTrue, `${at}.Fn::If.1`, { guarded: true }, out);
      walk(whenFalse, `${at}.Fn::If.2`, { guarded: true }, out);
      return;
    }
  }
  for (const key of keys) walk(value[key], `${at}.${key}`, state, out);
}

/** Every Ref, GetAtt, Sub variable, Condition and DependsOn in Resources, Outputs, Conditions and Globals. */
function collect(template: CfnTemplate): Array<TemplateReference & WalkState & { owner?: string }> {
  const found: Array<TemplateReference & WalkState & { owner?: string }> = [];
  const sections: Array<[string, Record<string, unknown> | undefined]> = [
    ['Resources', template.Resources],
    ['Outputs', template.Outputs],
    ['Conditions', template.Conditions],
    ['Globals', template.Globals],
  ];
  for (const [section, entries] of sections) {
    for (const [name, entry] of Object.entries(entries ?? {})) {
      const at = `${section}.${name}`;
      const refs: Array<TemplateReference & WalkState> = [];
      const ownsEntries = section === 'Resources' || section === 'Outputs';
      if (ownsEntries && isRecord(entry)) {
        const { Condition: condition, DependsOn: dependsOn, ...rest } = entry;
        if (typeof condition === 'string') refs.push({ kind: 'Condition', target: condition, at: `${at}.Condition`, guarded: false });
        for (const dep of typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : []) {
          if (typeof dep === 'string') refs.push({ kind: 'DependsOn', target: dep, at: `${at}.DependsOn`, guarded: false });
        }
        walk(rest, at, { guarded: false }, refs);
      } else {
        walk(entry, at, { guarded: false }, refs);
      }
      for (const ref of refs) found.push(ownsEntries ? { ...ref, owner: at } : ref);
    }
  }
  return found;
}

/**
 * Problems with the template's references, one line each; empty when all resolve:
 * - a Ref or `${X}` naming no resource, parameter or pseudo parameter;
 * - a GetAtt or `${Res.Attr}` naming no resource;
 * - a Condition (resource/output key, Fn::If, `!Condition`) naming no condition;
 * - a DependsOn naming no resource;
 * - an unconditional entry referring to a resource that has a Condition, outside Fn::If
 *   (CloudFormation rejects it when the condition is false), unless both share the condition.
 */
export function findDanglingReferences(template: CfnTemplate): string[] {
  const resources = template.Resources ?? {};
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const problems: string[] = [];
  for (const ref of collect(template)) {
    const [head, attribute] = [ref.target.split('.')[0] ?? ref.target, ref.target.includes('.')];
    const isResource = head in resources;
    switch (ref.kind) {
      case 'Ref':
        if (!isResource && !parameters.has(ref.target) && !PSEUDO_PARAMETERS.has(ref.target)) {
          problems.push(`${ref.at}: Ref ${ref.target} names no resource, parameter or pseudo parameter`);
        }
        break;
      case 'Sub':
        if (attribute ? !isResource : !isResource && !parameters.has(head) && !PSEUDO_PARAMETERS.has(head)) {
          problems.push(`${ref.at}: \${${ref.target}} in Fn::Sub names nothing the template declares`);
        }
        break;
      case 'GetAtt':
      case 'DependsOn':
        if (!isResource) problems.push(`${ref.at}: ${ref.kind} ${ref.target} names no resource`);
        break;
      case 'Condition':
        if (!conditions.has(ref.target)) problems.push(`${ref.at}: condition ${ref.target} is not declared`);
        break;
    }
    const targetCondition = isResource && ref.kind !== 'Condition' ? resources[head]?.Condition : undefined;
    if (targetCondition !== undefined && !ref.guarded && ref.owner !== undefined) {
      const [section, name] = ref.owner.split('.') as [string, string];
      const owner = (section === 'Resources' ? resources[name] : template.Outputs?.[name]) as { Condition?: string } | undefined;
      if (owner?.Condition !== targetCondition) {
        problems.push(`${ref.at}: refers to ${head}, which exists only when ${targetCondition}, outside Fn::If`);
      }
    }
  }
  return problems;
}
