/**
 * The kernel's event queue: POE's one priority queue (`Queue/Array.pm`),
 * kept as two structures that together give the same order.
 *
 * - a FIFO for events due now (post, yield, signal, GC): POE gives them the
 *   priority "now" made strictly increasing, so they leave in arrival order;
 * - a binary heap for timers, O(log n) to add and to remove by ID.
 *
 * Every item carries POE's (priority, id) pair; the two heads are compared
 * on it, so a timer already due leaves before posts queued after its due
 * time, exactly as in POE's single queue. IDs are shared by both, as POE's
 * timer IDs are queue item IDs.
 */
import type { Actor } from "./actor.js";

/**
 * The argument list of a queued event that has none (`yield("tick")`,
 * `_start` without args, GC grace events): one shared array, read and never
 * written, so such events allocate none.
 */
export const NO_ARGS: unknown[] = [];

/** One queued event (POE's event payload, `Kernel.pm:226-241`). */
export interface QueuedEvent {
  id: number;
  priority: number;
  dest: Actor;
  sender: Actor;
  name: string;
  type: number;
  args: unknown[];
  callerState: string | undefined;
  /** Due time in epoch seconds as POE reports it (0 for delay/delay_add). */
  wall: number;
  /** Position in the timer heap, -1 when not a timer or removed. */
  heapIndex: number;
  /** True once removed or dispatched. */
  done: boolean;
}

/** The FIFO part: an array with a moving head, compacted as it drains. */
export class EventFifo {
  #items: (QueuedEvent | undefined)[];
  #head = 0;
  #live = 0;

  constructor() {
    // Assigned here, not by an initializer, as #compact() replaces it: see
    // Actor's constructor.
    this.#items = [];
  }

  get length(): number {
    return this.#live;
  }

  push(ev: QueuedEvent): void {
    this.#items.push(ev);
    this.#live += 1;
  }

  /** The first live item, skipping removed ones. */
  peek(): QueuedEvent | undefined {
    const items = this.#items;
    while (this.#head < items.length) {
      const ev = items[this.#head];
      if (ev !== undefined && !ev.done) return ev;
      this.#head += 1;
    }
    this.#compact();
    return undefined;
  }

  shift(): QueuedEvent | undefined {
    const ev = this.peek();
    if (ev === undefined) return undefined;
    this.#items[this.#head] = undefined;
    this.#head += 1;
    this.#live -= 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) this.#compact();
    return ev;
  }

  /** Mark an item removed; it is skipped when reached. */
  remove(ev: QueuedEvent): void {
    if (ev.done) return;
    ev.done = true;
    this.#live -= 1;
  }

  /** Live items, in order (for clearing a session). */
  *live(): IterableIterator<QueuedEvent> {
    for (let i = this.#head; i < this.#items.length; i++) {
      const ev = this.#items[i];
      if (ev !== undefined && !ev.done) yield ev;
    }
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#live = 0;
  }

  #compact(): void {
    if (this.#head === 0) return;
    this.#items = this.#items.slice(this.#head);
    this.#head = 0;
  }
}

/** Min-heap of timers ordered by (priority, id). */
export class TimerHeap {
  #heap: QueuedEvent[] = [];
  readonly #byId = new Map<number, QueuedEvent>();

  get length(): number {
    return this.#heap.length;
  }

  peek(): QueuedEvent | undefined {
    return this.#heap[0];
  }

  byId(id: number): QueuedEvent | undefined {
    return this.#byId.get(id);
  }

  push(ev: QueuedEvent): void {
    ev.heapIndex = this.#heap.length;
    this.#heap.push(ev);
    this.#byId.set(ev.id, ev);
    this.#up(ev.heapIndex);
  }

  shift(): QueuedEvent | undefined {
    const top = this.#heap[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(ev: QueuedEvent): void {
    const i = ev.heapIndex;
    if (i < 0) return;
    const heap = this.#heap;
    const last = heap.pop() as QueuedEvent;
    this.#byId.delete(ev.id);
    ev.heapIndex = -1;
    if (last === ev) return;
    heap[i] = last;
    last.heapIndex = i;
    this.#down(i);
    this.#up(last.heapIndex);
  }

  /** Change a timer's priority (alarm_adjust, delay_adjust). */
  reprioritize(ev: QueuedEvent, priority: number): void {
    ev.priority = priority;
    this.#up(ev.heapIndex);
    this.#down(ev.heapIndex);
  }

  *live(): IterableIterator<QueuedEvent> {
    yield* this.#heap;
  }

  clear(): void {
    for (const ev of this.#heap) ev.heapIndex = -1;
    this.#heap = [];
    this.#byId.clear();
  }

  #up(i: number): void {
    const heap = this.#heap;
    const ev = heap[i] as QueuedEvent;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p] as QueuedEvent;
      if (!before(ev, parent)) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    heap[i] = ev;
    ev.heapIndex = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const ev = heap[i] as QueuedEvent;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && before(heap[r] as QueuedEvent, heap[l] as QueuedEvent)) c = r;
      const child = heap[c] as QueuedEvent;
      if (!before(child, ev)) break;
      heap[i] = child;
      child.heapIndex = i;
      i = c;
    }
    heap[i] = ev;
    ev.heapIndex = i;
  }
}

/** POE's queue order: lower priority first, equal priorities FIFO by id. */
export function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.id < b.id);
}
