import { describe, expect, it } from 'vitest';
import { BROWSER_ARGS, BROWSER_PATHS, filterBrowserNoise, findBrowser, noBrowserError } from '../../../src/render/mermaid/browser.js';

describe('findBrowser', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH first', () => {
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/opt/chrome' }, () => true)).toEqual({ found: true, path: '/opt/chrome' });
  });

  it('does not fall back when PUPPETEER_EXECUTABLE_PATH names a missing file', () => {
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nope' }, (p) => p !== '/nope')).toEqual({ found: false, tried: ['/nope'] });
  });

  it('then tries chromium, chromium-browser, google-chrome, google-chrome-stable in order', () => {
    const tried: string[] = [];
    const lookup = findBrowser({}, (p) => {
      tried.push(p);
      return p === '/usr/bin/google-chrome-stable';
    });
    expect(lookup).toEqual({ found: true, path: '/usr/bin/google-chrome-stable' });
    expect(tried).toEqual([...BROWSER_PATHS]);
    expect(tried).toEqual(['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']);
  });

  it('explains in one line what to install when none is found', () => {
    const lookup = findBrowser({}, () => false);
    expect(lookup.found).toBe(false);
    if (lookup.found) return;
    const error = noBrowserError(lookup, {});
    expect(error.exitCode).toBe(3);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('apt-get install chromium');
    expect(error.message).toContain('PUPPETEER_EXECUTABLE_PATH');
    expect(error.message).toContain('.mmd files were written');
  });

  it('launches without a sandbox (root in CI) and without background networking', () => {
    expect(BROWSER_ARGS).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-gpu', '--disable-background-networking']));
  });
});

it('filters the Debian chromium wrapper noise and nothing else', () => {
  const text = "/usr/bin/chromium: 9: [: Linux: unexpected operator\nreal problem\n/usr/bin/chromium-browser: 12: [: x: unexpected operator";
  expect(filterBrowserNoise(text)).toBe('real problem');
});
