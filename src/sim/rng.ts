/**
 * Seeded PRNG (sfc32, seeded through splitmix32). The model takes one of these instead of
 * Math.random so a scenario and a seed always give the same trace.
 *
 * A run holds one root `Rng` (its seed) and draws nothing from it directly: every consumer takes
 * its own stream, `root.stream(label)`, seeded from the seed and the consumer's label (a
 * replication link, a fault). Streams are independent of each other, so a consumer added to a
 * scenario (a probabilistic fault) does not shift what any other draws, and every backend that
 * derives a stream by the same label draws the same values.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `label` names a stream of the seed (see `stream`); '' is the seed's root stream. */
  constructor(
    readonly seed: number,
    readonly label = '',
  ) {
    const fromSeed = splitmix32(seed >>> 0);
    this.a = fromSeed();
    this.b = fromSeed();
    this.c = fromSeed();
    this.d = fromSeed();
    // A seed takes up to 53 bits (--seed 4294967296 is not --seed 0): the bits above the low 32
    // mix into the first two words. Seeds below 2^32 start exactly as they always have.
    const high = Math.floor(seed / 4294967296);
    if (high > 0) {
      const fromHigh = splitmix32((high >>> 0) ^ 0x5bd1e995);
      this.a ^= fromHigh();
      this.b ^= fromHigh();
    }
    if (label !== '') {
      // Two words from the label's hash: streams of one seed differ whenever their labels' hashes do.
      const fromLabel = splitmix32(fnv1a32(label));
      this.c ^= fromLabel();
      this.d ^= fromLabel();
    }
    for (let i = 0; i < 12; i++) this.next();
  }

  /** An independent stream of this seed for one consumer, e.g. `link:us-east-1>eu-west-1`. */
  stream(label: string): Rng {
    return new Rng(this.seed, label);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Standard normal, Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** The label of a replication link's stream: every backend draws a link's lags from this one. */
export function linkStreamLabel(from: string, to: string): string {
  return `link:${from}>${to}`;
}

/** The label of a fault's stream (its index in the scenario's `faults`), for the chances it draws. */
export function faultStreamLabel(index: number): string {
  return `fault:${index}`;
}

function splitmix32(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the label's UTF-16 code units: a stable 32-bit hash, the same on every platform. */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
