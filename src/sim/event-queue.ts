/** Random tiebreak keys take this many bits above the insertion count in a task's order. */
const KEY_SPAN = 2 ** 20;
const INSERTIONS = 2 ** 32;

/**
 * The virtual-time agenda: a binary min-heap on (time, insertion order), so tasks due at the same
 * virtual time run in the order they were scheduled — the model's tie rule for determinism.
 *
 * Given a `tiebreak` stream (replication.simultaneous: seeded), each pushed task draws a random key
 * and tasks due at the same time run by (key, insertion): an order drawn from the seed, still
 * repeatable. The key rides in the high bits of the order number (key·2^32 + insertion < 2^53), so
 * the heap compares exactly as without one and the default costs nothing.
 */
export class EventQueue<T> {
  private times: number[] = [];
  private orders: number[] = [];
  private tasks: T[] = [];
  private inserted = 0;

  constructor(private readonly tiebreak?: { next(): number }) {}

  get size(): number {
    return this.tasks.length;
  }

  push(time: number, task: T): void {
    const order = this.tiebreak ? Math.floor(this.tiebreak.next() * KEY_SPAN) * INSERTIONS + (this.inserted++ % INSERTIONS) : this.inserted++;
    let i = this.tasks.length;
    this.times.push(time);
    this.orders.push(order);
    this.tasks.push(task);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(time, order, this.times[parent]!, this.orders[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, time, order, task);
  }

  peekTime(): number | undefined {
    return this.times[0];
  }

  peekTask(): T | undefined {
    return this.tasks[0];
  }

  pop(): { time: number; task: T } | undefined {
    const time = this.times[0];
    const task = this.popTask();
    return task === undefined ? undefined : { time: time!, task };
  }

  /** Removes the first task and returns it (its time is `peekTime()`'s); no pair made per task. */
  popTask(): T | undefined {
    const n = this.tasks.length;
    if (n === 0) return undefined;
    const task = this.tasks[0]!;
    const lastTime = this.times.pop()!;
    const lastOrder = this.orders.pop()!;
    const lastTask = this.tasks.pop()!;
    if (n > 1) {
      let i = 0;
      const size = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && this.before(this.times[r]!, this.orders[r]!, this.times[l]!, this.orders[l]!) ? r : l;
        if (!this.before(this.times[c]!, this.orders[c]!, lastTime, lastOrder)) break;
        this.move(c, i);
        i = c;
      }
      this.set(i, lastTime, lastOrder, lastTask);
    }
    return task;
  }

  private before(t1: number, o1: number, t2: number, o2: number): boolean {
    return t1 < t2 || (t1 === t2 && o1 < o2);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.orders[to] = this.orders[from]!;
    this.tasks[to] = this.tasks[from]!;
  }

  private set(i: number, time: number, order: number, task: T): void {
    this.times[i] = time;
    this.orders[i] = order;
    this.tasks[i] = task;
  }
}
