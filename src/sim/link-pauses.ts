/**
 * Paused replication links and the deliveries they hold (aws-semantics §3: FIS denies the
 * replication role on the table and its stream; writes keep being accepted). One definition for
 * every substrate: the model's World and the DynamoDB substrate's emulated replication.
 *
 * Pauses may overlap (two faults on one link); a link carries again when its last pause ends. What
 * it held then waits in `released` until the caller takes it (so the recovery is traced first), and
 * is delivered at once, in the order it reached the link, so per-item order holds (§1.2) and
 * replication "resumes from the point it was paused" (§3).
 */
export class LinkPauses<Held> {
  /** `stillHeld`: whether a held delivery still waits (MRSC: a write or strong read may have taken it through the quorum). */
  constructor(private readonly stillHeld: (held: Held) => boolean = () => true) {}

  private readonly pauses = new Map<string, number>();
  private readonly held = new Map<string, Held[]>();
  private readonly released: Held[] = [];
  /** Deliveries held by paused links right now. */
  heldCount = 0;

  pause(from: string, to: string): void {
    const key = linkKey(from, to);
    this.pauses.set(key, (this.pauses.get(key) ?? 0) + 1);
  }

  /** Ends one pause of a link; when none is left, what it held is released. Returns how many that adds. */
  resume(from: string, to: string): number {
    const key = linkKey(from, to);
    const left = (this.pauses.get(key) ?? 0) - 1;
    if (left > 0) {
      this.pauses.set(key, left);
      return 0;
    }
    this.pauses.delete(key);
    const held = this.held.get(key) ?? [];
    this.held.delete(key);
    this.heldCount -= held.length;
    const waiting = held.filter(this.stillHeld);
    for (const h of waiting) this.released.push(h);
    return waiting.length;
  }

  isPaused(from: string, to: string): boolean {
    return this.pauses.size > 0 && this.pauses.has(linkKey(from, to));
  }

  /** Keeps a delivery that reached a paused link until the link resumes. */
  hold(from: string, to: string, delivery: Held): void {
    const key = linkKey(from, to);
    let held = this.held.get(key);
    if (!held) this.held.set(key, (held = []));
    held.push(delivery);
    this.heldCount++;
  }

  /** What resumed links released, in the order it reached each link; the caller delivers it. */
  takeReleased(): Held[] {
    return this.released.splice(0);
  }
}

function linkKey(from: string, to: string): string {
  return `${from}>${to}`;
}
