import type { LagSpec, LinkSpec } from '../scenario/model.js';

/**
 * The words for a replication lag, e.g. "uniform 300..900ms". The report carries the lag as the
 * scenario declared it; every view (text, terminal, JSON, diagram, `geosim serve`'s banner) words it
 * here, so they say the same thing.
 */
export function describeLag(lag: LagSpec): string {
  switch (lag.distribution) {
    case 'fixed':
      return `fixed ${lag.ms}ms`;
    case 'uniform':
      return `uniform ${lag.min}..${lag.max}ms`;
    case 'normal':
      return `normal mean ${lag.mean}ms sd ${lag.stddev}ms`;
    case 'exponential':
      return `exponential mean ${lag.mean}ms`;
    case 'sequence':
      return lag.ms.length <= 6 ? `sequence ${lag.ms.join(', ')}ms` : `sequence ${lag.ms.slice(0, 5).join(', ')}, … ${lag.ms.length} values`;
  }
}

/** One link and its lag, e.g. "us-east-1→eu-west-1 uniform 300..900ms". */
export function describeLinkLag(link: LinkSpec): string {
  return `${link.from}→${link.to} ${describeLag(link.lag)}`;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?(?:e[+-]\d+)?)`;
const LINK_WORDS = new RegExp(String.raw`^(\S+)→(\S+) (?:fixed ${NUMBER}ms|uniform ${NUMBER}\.\.${NUMBER}ms|normal mean ${NUMBER}ms sd ${NUMBER}ms|exponential mean ${NUMBER}ms)$`);

/**
 * The link back from its words, for a run recorded as JSON (which holds the words, a documented
 * contract). Undefined unless wording the result gives exactly `words` again, so a diagram drawn
 * from a recorded run says what the run said.
 */
export function parseLinkLag(words: string): LinkSpec | undefined {
  const m = LINK_WORDS.exec(words);
  if (!m) return undefined;
  const [, from, to, fixed, min, max, mean, stddev, expMean] = m;
  const lag: LagSpec =
    fixed !== undefined
      ? { distribution: 'fixed', ms: Number(fixed) }
      : min !== undefined
        ? { distribution: 'uniform', min: Number(min), max: Number(max) }
        : mean !== undefined
          ? { distribution: 'normal', mean: Number(mean), stddev: Number(stddev) }
          : { distribution: 'exponential', mean: Number(expMean) };
  const link: LinkSpec = { from: from!, to: to!, lag };
  return describeLinkLag(link) === words ? link : undefined;
}
