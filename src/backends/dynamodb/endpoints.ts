import { UserError } from '../../errors.js';
import { redactEndpoint } from './errors.js';

/**
 * The endpoint each region's client talks to: one URL for every region, one per region
 * (`REGION=URL`), or none (real AWS regional endpoints). Every scenario region needs one when a map
 * is given, so a typo cannot silently send a region to real AWS.
 */
export function resolveEndpoints(regions: readonly string[], endpoints: Record<string, string> | string | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const region of regions) {
    if (endpoints === undefined) out[region] = undefined;
    else if (typeof endpoints === 'string') out[region] = checkUrl(endpoints);
    else {
      const url = endpoints[region];
      if (url === undefined) {
        throw new UserError(`--endpoint gives no URL for region ${region}: pass --endpoint ${region}=URL for every region (${regions.join(', ')}) or one URL for all`);
      }
      out[region] = checkUrl(url);
    }
  }
  if (typeof endpoints === 'object') {
    const extra = Object.keys(endpoints).filter((r) => !regions.includes(r));
    if (extra.length > 0) throw new UserError(`--endpoint names region ${extra.join(', ')}, which the scenario does not have (regions: ${regions.join(', ')})`);
  }
  return out;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--endpoint ${redactEndpoint(url)} is not a URL: expected e.g. http://127.0.0.1:8000`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UserError(`--endpoint ${redactEndpoint(url)} must be http:// or https://`);
  return url.replace(/\/+$/, '');
}

/** DynamoDB Local and other servers on this machine accept any credentials. */
export function isLoopback(url: string | undefined): boolean {
  if (url === undefined) return false;
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}
