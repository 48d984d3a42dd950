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

/** What the model's agenda does with its tasks (EventQueue, or TimeWheel for the usual run). */
export interface Agenda<T> {
  readonly size: number;
  push(time: number, task: T): void;
  peekTime(): number | undefined;
  peekTask(): T | undefined;
  pop(): { time: number; task: T } | undefined;
  popTask(): T | undefined;
}

/** Slots of a TimeWheel: whole ms from the earliest task it holds (a replication lag is well below). */
const WHEEL_SLOTS = 4096;
const WHEEL_MASK = WHEEL_SLOTS - 1;

/**
 * EventQueue's order (the earliest time first, tasks due at one time in the order pushed), without
 * its heap for the tasks of the next few seconds: the usual run's tasks (replicated writes landing,
 * a stream consumer's turn) are due a whole number of ms less than WHEEL_SLOTS ms ahead, and each
 * such ms has a slot, a first-in first-out list of its tasks. A push appends to its slot and a pop
 * takes the earliest slot's first task, where the heap's sift down went through a dozen levels of
 * a few thousand tasks every time. Any other task (a fraction of a ms, further ahead, or before
 * the window) goes to an EventQueue beside the wheel, `later`.
 *
 * The wheel covers [base, base + WHEEL_SLOTS): base is at most its earliest task, and moves up to
 * the task a pop takes from it. A push lands in the wheel exactly when its time is in that window,
 * so for any one time, the tasks in `later` were pushed before those in the wheel: a task of
 * `later` runs first at an equal time, and the order is EventQueue's.
 */
export class TimeWheel<T> implements Agenda<T> {
  /** Each slot's tasks (undefined: never used), a slot's pop reading from its `heads` entry on. */
  private readonly slots: (T[] | undefined)[] = new Array<T[] | undefined>(WHEEL_SLOTS).fill(undefined);
  /** Per slot: the index of its next task, and how many it holds from 0 (`ends`). */
  private readonly heads = new Int32Array(WHEEL_SLOTS);
  private readonly ends = new Int32Array(WHEEL_SLOTS);
  /** One bit per slot that holds a task (finds the next one without visiting empty slots). */
  private readonly occupied = new Int32Array(WHEEL_SLOTS >> 5);
  private base = 0;
  /** The earliest time in the wheel (meaningful while `count` > 0). */
  private next = 0;
  private count = 0;
  private readonly later = new EventQueue<T>();

  get size(): number {
    return this.count + this.later.size;
  }

  push(time: number, task: T): void {
    const ahead = time - this.base;
    // (a whole ms in the window: `ahead | 0` equals it only for a whole number below 2^31)
    if (!(ahead >= 0 && ahead < WHEEL_SLOTS && (ahead | 0) === ahead)) {
      if (this.count === 0 && Number.isInteger(time)) {
        // an empty wheel starts over at this task (keeping the rule above: nothing it holds is due then)
        this.base = time;
        this.push(time, task);
      } else this.later.push(time, task);
      return;
    }
    const slot = time & WHEEL_MASK;
    let tasks = this.slots[slot];
    if (tasks === undefined) this.slots[slot] = tasks = [];
    const end = this.ends[slot]!;
    if (end < tasks.length) tasks[end] = task;
    else tasks.push(task);
    this.ends[slot] = end + 1;
    this.occupied[slot >> 5]! |= 1 << (slot & 31);
    if (this.count === 0 || time < this.next) this.next = time;
    this.count++;
  }

  peekTime(): number | undefined {
    if (this.later.size === 0) return this.count > 0 ? this.next : undefined;
    const other = this.later.peekTime()!;
    return this.count > 0 && this.next < other ? this.next : other;
  }

  peekTask(): T | undefined {
    if (this.fromWheel()) {
      const slot = this.next & WHEEL_MASK;
      return this.slots[slot]![this.heads[slot]!];
    }
    return this.later.peekTask();
  }

  pop(): { time: number; task: T } | undefined {
    const time = this.peekTime();
    const task = this.popTask();
    return task === undefined ? undefined : { time: time!, task };
  }

  popTask(): T | undefined {
    if (!this.fromWheel()) return this.later.popTask();
    const time = this.next;
    const slot = time & WHEEL_MASK;
    const tasks = this.slots[slot]!;
    const head = this.heads[slot]!;
    const task = tasks[head]!;
    tasks[head] = undefined as T; // not kept alive by the slot
    this.base = time;
    this.count--;
    if (head + 1 < this.ends[slot]!) {
      this.heads[slot] = head + 1;
      return task;
    }
    this.heads[slot] = 0;
    this.ends[slot] = 0;
    this.occupied[slot >> 5]! &= ~(1 << (slot & 31));
    if (this.count > 0) this.next = time + this.distanceToOccupied(slot);
    return task;
  }

  /** Whether the earliest task is the wheel's (an equal time: `later`'s first, see the class). */
  private fromWheel(): boolean {
    return this.count > 0 && (this.later.size === 0 || this.next < this.later.peekTime()!);
  }

  /** Slots from `slot` to the next occupied one (one is: `count` > 0), around the wheel. */
  private distanceToOccupied(slot: number): number {
    const words = this.occupied;
    const bit = slot & 31;
    let word = slot >> 5;
    // the slots after `slot` in its word
    let bits = words[word]! & (-2 << bit);
    // slots from the start of `slot`'s word to the start of `word`
    let offset = 0;
    while (bits === 0) {
      word = (word + 1) & (words.length - 1);
      offset += 32;
      bits = words[word]!;
    }
    // (the lowest bit set: its index)
    return offset + (31 - Math.clz32(bits & -bits)) - bit;
  }
}
