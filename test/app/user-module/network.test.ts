import { describe, expect, it } from 'vitest';
import { describeTarget, refusedNetworkModule } from '../../../src/app/user-module/network.js';
import { GeosimRefusal } from '../../../src/app/user-module/refusal.js';

describe('network refusal', () => {
  it.each([
    ['https://a.example/x', 'https://a.example/x'],
    [new URL('http://b.example:8080/y'), 'http://b.example:8080/y'],
    [{ hostname: 'c.example', port: 443, path: '/z', protocol: 'https:' }, 'https://c.example:443/z'],
    [{ host: 'd.example', port: 5432 }, 'd.example:5432'],
    [{ type: 'udp4' }, 'udp4'],
    [undefined, ''],
  ])('names the target of %o as %s', (arg, text) => {
    expect(describeTarget(arg)).toBe(text);
  });

  it('keeps constants readable and refuses calls, including on a package that is not installed', () => {
    const told: string[] = [];
    const http = refusedNetworkModule('http', { STATUS_CODES: { 200: 'OK' }, request() {} }, (m) => told.push(m)) as Record<string, unknown>;
    expect(http.STATUS_CODES).toEqual({ 200: 'OK' });
    expect(() => (http.request as (a: unknown) => void)('http://x.example/')).toThrow(GeosimRefusal);
    const undici = refusedNetworkModule('undici', undefined, (m) => told.push(m)) as Record<string, unknown>;
    expect(() => (undici.request as (a: unknown) => void)('https://y.example/')).toThrow('undici.request(https://y.example/) was refused');
    expect(undici.then).toBeUndefined(); // not mistaken for a promise
    expect(told).toEqual([
      'geosim does not allow network access from a handler: http.request(http://x.example/) was refused',
      'geosim does not allow network access from a handler: undici.request(https://y.example/) was refused',
    ]);
  });
});
