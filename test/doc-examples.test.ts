import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The library's examples run as written: the ```ts blocks of the package entry's documentation
 * (what an editor shows for `import … from 'geosim'`) and the README's "In your own tests" block,
 * each as a module of its own with 'geosim' pointing at src/index.ts.
 */
const ROOT = join(import.meta.dirname, '..');
const TMP = join(ROOT, '.geosim-tmp', `doc-examples-${process.pid}`);

function blocks(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const entryDoc = readFileSync(join(ROOT, 'src/index.ts'), 'utf8').split('*/')[0]!.replace(/^ \* ?/gm, '');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ownTests = readme.slice(readme.indexOf('**In your own tests**'));
const examples: Array<[string, string]> = [
  ...blocks(entryDoc).map((code, i): [string, string] => [`src/index.ts example ${i + 1}`, code]),
  ['README: In your own tests', blocks(ownTests)[0]!],
];

describe('the library examples run as written', () => {
  afterAll(() => rmSync(TMP, { recursive: true, force: true }));
  it('finds them', () => expect(examples.length).toBe(3));
  it.each(examples)('%s', async (name, code) => {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, `${name.replace(/\W+/g, '-')}.ts`);
    writeFileSync(file, `${code.replaceAll("from 'geosim'", `from ${JSON.stringify(join(ROOT, 'src/index.ts'))}`)}\nexport {};\n`);
    await expect(import(file)).resolves.toBeDefined();
  });
});

describe('the README’s scenario examples run as written', () => {
  it('"Steps in DynamoDB syntax": its steps, under two regions, pass every assertion they make (its read and query expected items no step wrote)', async () => {
    const { runScenario } = await import('../src/pipeline/run-scenario.js');
    const { scenarioFromYaml } = await import('./helpers/scenario.js');
    const section = readme.slice(readme.indexOf('**Steps in DynamoDB syntax.**'));
    const steps = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect(steps).toContain('query:');
    const report = await runScenario(scenarioFromYaml(`regions: [us-east-1, eu-west-1]\nsteps:\n${steps}`));
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(report.assertions.filter((a) => a.source === 'step')).toHaveLength(3);
    expect(report.counts.conditionFailures).toBe(0);
  });
});
