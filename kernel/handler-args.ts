/**
 * The argument every handler receives, Perl's `@_`: an array indexable by
 * POE's constants (OBJECT=0 … ARG0=10 …), so `_.slice(ARG0)` is
 * `@_[ARG0..$#_]`, with named accessors for new code.
 */
import { ARG0, HEAP, KERNEL, SENDER, SESSION, STATE } from "./constants.js";

/** `_` in `(_) => { ... }`: POE's `@_` for one handler call. */
export class HandlerArgs<Heap = any> extends Array<any> {
  /**
   * `new HandlerArgs(length)` is what Array's species methods (`map`,
   * `filter`, …) call. The kernel passes the slots before ARG0 and at most
   * two arguments (`session` is never undefined then), so that `super()`
   * builds the array with its elements in place: packed, in one step, about
   * 3× faster than a preallocated array filled by index. The constructor is
   * explicit: the implicit one spreads its arguments, which V8 runs several
   * times slower wherever it does not inline it.
   * @internal The kernel's form is not public API.
   */
  constructor(
    length?: number,
    session?: unknown,
    object?: unknown,
    kernel?: unknown,
    heap?: unknown,
    state?: unknown,
    sender?: unknown,
    callerState?: unknown,
    arg0?: unknown,
    arg1?: unknown,
  ) {
    if (session === undefined) {
      if (length === undefined) super();
      else super(length);
    } else if (length === ARG0) super(object, session, kernel, heap, state, sender, undefined, undefined, undefined, callerState);
    else if (length === ARG0 + 1) super(object, session, kernel, heap, state, sender, undefined, undefined, undefined, callerState, arg0);
    else super(object, session, kernel, heap, state, sender, undefined, undefined, undefined, callerState, arg0, arg1);
  }

  /**
   * A plain array of elements `start` to `end` (`_.slice(ARG0)` is Perl's
   * `@_[ARG0..$#_]`). Overridden rather than setting `Symbol.species`, which
   * makes V8 build every `_` ~25× slower.
   */
  override slice(start = 0, end: number = this.length): any[] {
    const n = this.length;
    let i = start < 0 ? Math.max(n + start, 0) : Math.min(start, n);
    const stop = end < 0 ? Math.max(n + end, 0) : Math.min(end, n);
    const out: any[] = [];
    for (; i < stop; i++) out.push(this[i]);
    return out;
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
}

/**
 * Build `_` for one handler call: the slots before ARG0, then
 * `source[offset…]` as ARG0…. Every `_` has the same packed layout, so a
 * handler's `_[ARG0]` sees one kind of array.
 */
export function handlerArgs(
  object: unknown,
  session: unknown,
  kernel: unknown,
  heap: unknown,
  state: string,
  sender: unknown,
  callerState: string | undefined,
  source: ArrayLike<unknown>,
  offset: number,
): HandlerArgs {
  const n = source.length - offset;
  const a = new HandlerArgs(ARG0 + Math.min(n, 2), session, object, kernel, heap, state, sender, callerState, n > 0 ? source[offset] : undefined, n > 1 ? source[offset + 1] : undefined);
  for (let i = 2; i < n; i++) a.push(source[offset + i]);
  return a;
}
