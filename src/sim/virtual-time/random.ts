/**
 * What user code (and the AWS SDK in it) draws at random, from the run's seeded stream: the SDK's
 * retry jitter uses Math.random and its invocation ids crypto.randomUUID, and a handler's own ids
 * (nanoid, ulid, uuid) draw bytes (crypto.ts), so all must be seeded for a run to repeat byte for byte.
 */
export function seededRandomUUID(random: () => number): () => `${string}-${string}-${string}-${string}-${string}` {
  return () => {
    let hex = '';
    for (let i = 0; i < 16; i++) {
      let byte = Math.floor(random() * 256) & 0xff;
      if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
      if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
      hex += byte.toString(16).padStart(2, '0');
    }
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` as `${string}-${string}-${string}-${string}-${string}`;
  };
}

/** Fills `bytes` from the run's seeded stream, one draw a byte (as seededRandomUUID draws). */
export function fillSeeded(bytes: Uint8Array, random: () => number): void {
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256) & 0xff;
}
