import { describe, expect, it } from 'vitest';
import { isLoopback, resolveEndpoints } from '../../../src/backends/dynamodb/endpoints.js';
import { UserError } from '../../../src/errors.js';

const regions = ['us-east-1', 'eu-west-1'];

describe('resolveEndpoints', () => {
  it('sends every region to real AWS when no endpoint is given', () => {
    expect(resolveEndpoints(regions, undefined)).toEqual({ 'us-east-1': undefined, 'eu-west-1': undefined });
  });

  it('sends every region to one URL, without a trailing slash', () => {
    expect(resolveEndpoints(regions, 'http://127.0.0.1:8000/')).toEqual({ 'us-east-1': 'http://127.0.0.1:8000', 'eu-west-1': 'http://127.0.0.1:8000' });
  });

  it('takes one URL per region', () => {
    expect(resolveEndpoints(regions, { 'us-east-1': 'http://a:1', 'eu-west-1': 'https://b:2' })).toEqual({ 'us-east-1': 'http://a:1', 'eu-west-1': 'https://b:2' });
  });

  it('refuses a map that leaves a region out, rather than sending it to AWS', () => {
    expect(() => resolveEndpoints(regions, { 'us-east-1': 'http://a:1' })).toThrow(new UserError('--endpoint gives no URL for region eu-west-1: pass --endpoint eu-west-1=URL for every region (us-east-1, eu-west-1) or one URL for all'));
  });

  it('refuses a region the scenario does not have', () => {
    expect(() => resolveEndpoints(regions, { 'us-east-1': 'http://a:1', 'eu-west-1': 'http://a:1', 'ap-south-1': 'http://a:1' })).toThrow(/names region ap-south-1/);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => resolveEndpoints(regions, 'localhost')).toThrow(/is not a URL/);
    expect(() => resolveEndpoints(regions, 'ftp://x')).toThrow(/must be http/);
  });
});

describe('isLoopback', () => {
  it.each([
    ['http://127.0.0.1:8000', true],
    ['http://localhost:8000', true],
    ['http://[::1]:8000', true],
    ['https://dynamodb.us-east-1.amazonaws.com', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopback(url)).toBe(expected);
  });
});
