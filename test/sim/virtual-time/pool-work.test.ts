import * as nodeCrypto from 'node:crypto';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countedCallback, countedPromise, poolWorkInFlight } from '../../../src/sim/virtual-time/pool-work.js';

// The count the run's quiet check reads (Fibers' pendingWork): true from the call until the callback or the promise settles.
describe('work handed to the thread pool, counted while in flight', () => {
  it('a callback form counts from its call until its callback runs, and the callback sees the count down', async () => {
    const pbkdf2 = countedCallback(nodeCrypto.pbkdf2);
    let seenInCallback: boolean | undefined;
    const key = await new Promise<Buffer>((resolve, reject) => {
      pbkdf2('p', 's', 1000, 16, 'sha256', (error, out) => {
        seenInCallback = poolWorkInFlight();
        if (error) reject(error);
        else resolve(out);
      });
      expect(poolWorkInFlight()).toBe(true);
    });
    expect(seenInCallback).toBe(false);
    expect(key).toEqual(nodeCrypto.pbkdf2Sync('p', 's', 1000, 16, 'sha256'));
  });

  it('a call Node refuses at once, or one without a callback (crypto.sign at once), counts nothing', () => {
    const pbkdf2 = countedCallback(nodeCrypto.pbkdf2) as unknown as (...args: unknown[]) => void;
    expect(() => pbkdf2('p', 's', -1, 16, 'sha256', () => {})).toThrow(/iterations/);
    expect(poolWorkInFlight()).toBe(false);
    const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('ed25519');
    const sign = countedCallback(nodeCrypto.sign);
    const signature = sign(null, Buffer.from('x'), privateKey);
    expect(poolWorkInFlight()).toBe(false);
    expect(nodeCrypto.verify(null, Buffer.from('x'), publicKey, signature)).toBe(true);
  });

  it('util.promisify of a wrapped function counts, and keeps Node’s promisified shape (generateKeyPair resolves with both keys)', async () => {
    const generateKeyPair = countedCallback(nodeCrypto.generateKeyPair);
    const pending = promisify(generateKeyPair)('ed25519', {});
    expect(poolWorkInFlight()).toBe(true);
    const pair = (await pending) as unknown as { publicKey: nodeCrypto.KeyObject; privateKey: nodeCrypto.KeyObject };
    expect([pair.publicKey.asymmetricKeyType, pair.privateKey.type]).toEqual(['ed25519', 'private']);
    expect(poolWorkInFlight()).toBe(false);
    const gzip = promisify(countedCallback(zlib.gzip));
    const zipped = gzip(Buffer.from('abc'));
    expect(poolWorkInFlight()).toBe(true);
    expect(zlib.gunzipSync(await zipped).toString()).toBe('abc');
    expect(poolWorkInFlight()).toBe(false);
  });

  it('a promise form counts until its promise settles, fulfilled or rejected, and returns that very promise', async () => {
    const subtle = nodeCrypto.webcrypto.subtle;
    const importKey = countedPromise(subtle.importKey);
    const sign = countedPromise(subtle.sign);
    const key = await importKey.call(subtle, 'raw', new TextEncoder().encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const signing = sign.call(subtle, 'HMAC', key, new TextEncoder().encode('m'));
    expect(poolWorkInFlight()).toBe(true);
    expect(Buffer.from(await signing).toString('hex')).toBe(nodeCrypto.createHmac('sha256', 'k').update('m').digest('hex'));
    expect(poolWorkInFlight()).toBe(false);
    const refused = sign.call(subtle, 'HMAC', key, 'not bytes' as never);
    await expect(refused).rejects.toThrow();
    expect(poolWorkInFlight()).toBe(false);
  });

  it('one wrapper per real function, with its name and arity: a module that wrapped it in one run counts in the next', () => {
    expect(countedCallback(nodeCrypto.scrypt)).toBe(countedCallback(nodeCrypto.scrypt));
    expect([countedCallback(nodeCrypto.scrypt).name, countedCallback(nodeCrypto.scrypt).length]).toEqual(['scrypt', nodeCrypto.scrypt.length]);
  });
});
