import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { modeChoices, parseChoiceList, strategyChoices } from '../compare/choices.js';
import { combinationMetrics, type CombinationMetrics, type Comparison } from '../compare/metrics.js';
import { variantText, type VariantChange } from '../compare/variant.js';
import { ExitCode, UserError } from '../errors.js';
import { runScenario, type RunOptions } from '../pipeline/run-scenario.js';
import { loadScenarioFile, loadScenarioObject, type LoadResult } from '../scenario/load.js';
import type { Scenario } from '../scenario/model.js';
import { canonicalStrategy, type Strategy } from '../app/strategies.js';
import { printable } from '../scenario/printable.js';
import { formatProblems } from '../scenario/problems.js';
import { silenceSdkNodeNotice } from '../backends/dynamodb/sdk-notice.js';
import type { CliIo } from './io.js';
import { runLimits, type RunLimitFlags } from './run-flags.js';

// The flags of `geosim compare` (wiring in commands/compare.ts).
export interface CompareFlags extends RunLimitFlags {
  strategies?: string;
  modes?: string;
  format?: 'pretty' | 'text' | 'json';
  seed?: number;
  maxFileSize?: number;
}

/**
 * `geosim compare`: load the scenario, then every combination (mode × strategy) with those two
 * values written into its text, so each goes through the loader and checks of `geosim run`; if
 * any is refused, say which and why and run nothing (exit 2); else run each, measure, print one
 * table. Exit 0 whatever the assertions: compare reports, it does not judge (design-15.md).
 */
export async function compareCommand(scenarioArg: string, flags: CompareFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  silenceSdkNodeNotice();
  const shown = printable(scenarioArg);
  // an alias and its strategy (service-lww, lww-item) are one strategy: it runs once, under the name given first
  const strategies = flags.strategies !== undefined ? uniqueBy(parseChoiceList(flags.strategies, '--strategies', strategyChoices(), 'strategy'), (name) => canonicalStrategy(name as Strategy)) : undefined;
  const modes = flags.modes !== undefined ? parseChoiceList(flags.modes, '--modes', modeChoices(), 'mode') : undefined;
  const file = resolve(cwd, scenarioArg);
  const loadOptions = { ...(flags.maxFileSize !== undefined ? { maxFileBytes: flags.maxFileSize } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}) };
  const original = await loadScenarioFile(file, loadOptions).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`geosim: ${shown}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory: compare runs one scenario file, each of its combinations' : printable(error.message)}`);
  });
  if (!original.ok) {
    io.stderr.write(formatProblems(original.problems.map((p) => ({ ...p, file: scenarioArg }))));
    return ExitCode.badInput;
  }
  const text = await readFile(file, 'utf8');
  const own = original.scenario;
  let data: Record<string, unknown> | undefined;
  // The scenario's own values where a flag gives none: its column runs exactly the file.
  const combos: Array<{ mode: string; strategy: string }> = [];
  for (const mode of modes ?? [own.mode as string]) for (const strategy of strategies ?? [ownStrategy(own)]) combos.push({ mode, strategy });
  const loaded: Array<{ combo: { mode: string; strategy: string }; scenario: Scenario }> = [];
  let refused = 0;
  for (const combo of combos) {
    const change: VariantChange = { ...(modes ? { mode: combo.mode } : {}), ...(strategies ? { strategy: combo.strategy } : {}) };
    const result = change.mode === undefined && change.strategy === undefined ? original : loadVariant((data ??= parse(text) as Record<string, unknown>), text, file, change, flags.seed);
    if (result.ok) {
      loaded.push({ combo, scenario: { ...result.scenario, file: scenarioArg } });
      continue;
    }
    refused++;
    io.stderr.write(`geosim: compare: the combination mode ${printable(combo.mode)}, strategy ${printable(combo.strategy)} is refused by the loader:\n`);
    const problems = result.problems.map((p) => (change.mode !== undefined && change.mode !== own.mode ? modeProblemInCompare(p, change.mode, modes ?? []) : p));
    io.stderr.write(result.placed ? formatProblems(problems.map((p) => ({ ...p, file: scenarioArg }))) : unplacedProblems(problems));
  }
  if (refused > 0) {
    io.stderr.write(`geosim: compare: ${refused} of ${combos.length} combinations refused; nothing was run (choose others with --strategies and --modes)\n`);
    return ExitCode.badInput;
  }
  const wanted = flags.format ?? 'pretty';
  const plainOnly = !io.stdout.isTTY || Boolean(io.env.NO_COLOR) || io.env.TERM === 'dumb';
  const format = wanted === 'pretty' && plainOnly ? 'text' : wanted;
  const options: RunOptions = {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...runLimits(flags),
    // A team's handler that logs per event would print once per combination, burying the table.
    quietConsole: true,
  };
  let exit: number = ExitCode.ok;
  const columns: CombinationMetrics[] = [];
  for (const { combo, scenario } of loaded) {
    const report = await runScenario(scenario, options);
    if (report.stopped) {
      io.stderr.write(`geosim: compare: mode ${printable(combo.mode)}, strategy ${printable(combo.strategy)}: the run stopped at its ${report.stopped.limit === 'horizon' ? 'horizon with work still due; to run longer: --horizon (default 3650d)' : report.stopped.limit === 'trace-events' ? `trace limit of ${report.stopped.maxTraceEvents} events with work still due; to allow more: --max-trace-events ${report.stopped.maxTraceEvents * 2}` : `sync limit of ${report.stopped.syncLimit}ms in ${printable(report.stopped.handler)}; to allow more: --sync-limit`} (geosim run ${shown} shows the run)\n`);
      exit = ExitCode.badInput;
    }
    columns.push(combinationMetrics(report, combo));
  }
  const comparison: Comparison = { scenario: { name: own.name, file: scenarioArg }, seed: flags.seed ?? own.seed, regions: own.regions, ...(own.witness !== undefined ? { witness: own.witness } : {}), combinations: columns };
  const passed = columns.filter((c) => c.passed).length;
  const closing = `compared ${columns.length} combination${columns.length === 1 ? '' : 's'}: ${passed} passed, ${columns.length - passed} failed\n`;
  if (format === 'json') {
    const { renderComparisonJson } = await import('../render/compare-json.js');
    io.stdout.write(renderComparisonJson(comparison));
    io.stderr.write(closing);
  } else if (format === 'pretty') {
    const { renderComparisonPretty, wrapForTerminal } = await import('../render/compare-pretty.js');
    const columns = io.stdout.columns || 80;
    io.stdout.write(renderComparisonPretty(comparison, { columns, colorLevel: 1 }) + '\n' + wrapForTerminal(closing, columns));
  } else {
    const { renderComparison } = await import('../render/compare-view.js');
    io.stdout.write(renderComparison(comparison) + '\n' + closing);
  }
  return exit;
}

/** The names with one per key, each the first given. */
function uniqueBy(names: string[], key: (name: string) => string): string[] {
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(key(name)) && seen.add(key(name)));
}

/** The strategy a scenario's column is named by: its application's, or its handler module's. */
function ownStrategy(scenario: Scenario): string {
  const module = scenario.application.module;
  // the name the scenario wrote (an alias such as service-lww included), as `geosim run` prints it
  return module ? `module ${module.given}` : (scenario.application.strategyAlias ?? scenario.application.strategy);
}

/**
 * One combination's scenario, through the loader of `geosim run`: the object the file parses to with
 * the values set (a valid one skips YAML, as `geosim explore`'s inputs do); a refused one is loaded
 * again as the file's own text with the values written in, so its problems point at the user's
 * lines (an alias or a flow mapping the edit cannot place: at the lines of the object written out).
 */
function loadVariant(data: Record<string, unknown>, text: string, file: string, change: VariantChange, seed: number | undefined): LoadResult & { placed?: boolean } {
  const application = (data.application ?? {}) as Record<string, unknown>;
  const edited = { ...data, ...(change.mode !== undefined ? { mode: change.mode } : {}), ...(change.strategy !== undefined ? { application: { ...application, strategy: change.strategy } } : {}) };
  const variant = variantText(text, change);
  const result = loadScenarioObject(edited, file, (d) => variant?.text ?? stringify(d), seed !== undefined ? { seed } : {});
  if (result.ok) return result;
  // Not placed: the lines are those of the object written out, not the user's; said without them.
  return variant ? { ok: false, problems: variant.place(result.problems), placed: true } : { ...result, placed: false };
}

/** Problems whose lines are not the user's file's: their code, message and hint, without a line to quote. */
function unplacedProblems(problems: readonly { code: string; message: string; hint?: string | undefined }[]): string {
  return problems.map((p) => `  error[${p.code}] ${printable(p.message)}\n${p.hint ? `  hint: ${printable(p.hint)}\n` : ''}`).join('');
}

/**
 * A loader's problem with the mode compare wrote in, said as compare's: the file's own `mode:` is
 * not what is wrong, so the loader's hint to change it would mislead (`add mode: mrsc` to a file
 * that has it).
 */
function modeProblemInCompare<P extends { code: string; message: string; hint?: string }>(p: P, mode: string, modes: readonly string[]): P {
  // Two regions, compared on both modes: a witness, the loader's first remedy, would refuse the mrec column.
  if (p.code === 'mrsc-regions' && mode === 'mrsc' && modes.includes('mrec') && p.hint?.includes('witness') === true) {
    return { ...p, hint: '--modes mrec,mrsc needs three regions of one MRSC region set and no witness (MREC has none): add a third region of the same set, or leave mrec out of --modes (then give the file `witness:`)' };
  }
  if (p.code !== 'witness-without-mrsc') return p;
  return { ...p, message: `a witness belongs to an MRSC global table; compare set this scenario's mode to ${mode} (the value compare wrote in)`, hint: `leave ${mode} out of --modes: MREC has no witness, and compare adds or removes none` };
}
