import { stringify } from 'yaml';
import { ScenarioError } from '../pipeline/library-run.js';
import { loadScenarioObject } from '../scenario/load.js';
import type { Scenario } from '../scenario/model.js';
import { shieldProtoKeys } from '../scenario/proto-keys.js';
import { scenarioSchema, type ScenarioParsed } from '../scenario/schema.js';
import { semanticProblems } from '../scenario/semantic-checks.js';
import { toScenario } from '../scenario/to-scenario.js';
import { pinRanges, type RangePoint } from './ranges.js';

type Input = Record<string, unknown>;

/**
 * A template loaded once, from which each run's Scenario is made without loading it again: the
 * concrete input of a run differs from the template only in its pinned ranges, its seed and
 * `replication.simultaneous`, and validating the whole input per run (zod) cost more than the run.
 * The Scenario made here is the one `runInput(pinned input)` would load (test/explore checks the
 * reports are the same bytes); when a draw's input fails a check that depends on the values, the
 * caller loads it the slow way, which reports the problem.
 */
export class CompiledTemplate {
  /** The template without ranges: one Scenario for every run. */
  private readonly fixed?: Scenario;
  /** The template with ranges, parsed once (defaults applied, ranges in place). */
  private readonly parsed?: ScenarioParsed;

  constructor(
    private readonly template: Input,
    private readonly file: string,
    private readonly name: string,
    private readonly points: RangePoint[],
  ) {
    const loaded = loadScenarioObject(template, file, (data) => stringify(data));
    if (!loaded.ok) throw new ScenarioError(loaded.problems);
    // `__proto__` keys are shielded from zod under another name: such a template takes the slow way.
    if (shieldProtoKeys(template) !== template) return;
    if (points.length === 0) {
      this.fixed = loaded.scenario;
      return;
    }
    const parsed = scenarioSchema.safeParse(template);
    if (parsed.success) this.parsed = parsed.data;
  }

  /**
   * The Scenario of one run: the ranges at `values`, the run's seed and same-ms order. Undefined
   * when this draw must be loaded the slow way (a check that depends on the values failed).
   */
  scenario(values: ReadonlyArray<number | string>, seed: number, simultaneous: boolean): Scenario | undefined {
    let scenario: Scenario;
    if (this.fixed !== undefined) {
      scenario = { ...this.fixed };
    } else if (this.parsed !== undefined) {
      const raw = pinRanges(this.template, values, this.points);
      // The same values pinned in the parsed template: pinRanges copies along the paths it changes.
      const concrete = pinRanges(this.parsed as unknown as Input, values, this.points) as unknown as ScenarioParsed;
      if (semanticProblems(concrete, raw).length > 0) return undefined;
      scenario = toScenario(concrete, this.name, this.file);
    } else {
      return undefined;
    }
    scenario.seed = seed;
    if (simultaneous && scenario.replication.simultaneous === undefined) scenario.replication = { ...scenario.replication, simultaneous: 'seeded' };
    return scenario;
  }
}
