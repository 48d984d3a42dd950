import { gzipSync } from 'node:zlib';

/** gzip with the header's OS byte fixed, so the bytes do not depend on the machine that wrote them. */
export function gzipBytes(data: string | Buffer): Buffer {
  const out = gzipSync(data, { level: 6 });
  out[9] = 0xff; // "unknown" OS (RFC 1952), where zlib writes the build's own
  return out;
}
