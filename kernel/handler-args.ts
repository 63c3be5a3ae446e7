/**
 * The argument every handler receives, Perl's `@_`: indexable by POE's
 * constants (OBJECT=0 … ARG0=10 …), array-like (`_.slice(ARG0)`, spread,
 * `length`), with named accessors for new code.
 */
import { ARG0, HEAP, KERNEL, SENDER, SESSION, STATE } from "./constants.js";

/** `_` in `(_) => { ... }`: POE's `@_` for one handler call. */
export class HandlerArgs<Heap = any> implements Iterable<any> {
  [index: number]: any;
  length: number;

  constructor(
    object: unknown,
    session: unknown,
    kernel: unknown,
    heap: Heap,
    state: string,
    sender: unknown,
    callerState: string | undefined,
    args: readonly unknown[],
  ) {
    this[0] = object;
    this[1] = session;
    this[2] = kernel;
    this[3] = heap;
    this[4] = state;
    this[5] = sender;
    this[6] = undefined;
    this[7] = undefined;
    this[8] = undefined;
    this[9] = callerState;
    const n = args.length;
    for (let i = 0; i < n; i++) this[ARG0 + i] = args[i];
    this.length = ARG0 + n;
  }

  /** The kernel (`_[KERNEL]`). */
  get kernel(): any {
    return this[KERNEL];
  }
  /** The session's heap (`_[HEAP]`). */
  get heap(): Heap {
    return this[HEAP];
  }
  /** The session whose handler runs (`_[SESSION]`). */
  get session(): any {
    return this[SESSION];
  }
  /** The sender (`_[SENDER]`). */
  get sender(): any {
    return this[SENDER];
  }
  /** The event name (`_[STATE]`). */
  get state(): string {
    return this[STATE];
  }
  /** The event's arguments (`@_[ARG0..$#_]`). */
  get args(): any[] {
    return this.slice(ARG0);
  }

  /** `Array.prototype.slice` over the arguments. */
  slice(start = 0, end: number = this.length): any[] {
    const out: any[] = [];
    const n = this.length;
    let i = start < 0 ? Math.max(n + start, 0) : Math.min(start, n);
    const stop = end < 0 ? Math.max(n + end, 0) : Math.min(end, n);
    for (; i < stop; i++) out.push(this[i]);
    return out;
  }

  *[Symbol.iterator](): Iterator<any> {
    for (let i = 0; i < this.length; i++) yield this[i];
  }
}
