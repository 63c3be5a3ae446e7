/**
 * The argument every handler receives, Perl's `@_`: an array indexable by
 * POE's constants (OBJECT=0 … ARG0=10 …), so `_.slice(ARG0)` is
 * `@_[ARG0..$#_]`, with named accessors for new code.
 */
import { ARG0, HEAP, KERNEL, SENDER, SESSION, STATE } from "./constants.js";

/** `_` in `(_) => { ... }`: POE's `@_` for one handler call. */
export class HandlerArgs<Heap = any> extends Array<any> {
  /**
   * An explicit constructor: the implicit one spreads its arguments into
   * `super()`, which V8 runs several times slower wherever it does not
   * inline it. `length` is all Array's species methods pass.
   */
  constructor(length?: number) {
    if (length === undefined) super();
    else super(length);
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
 * Build `_` for one handler call. Preallocating the length and assigning by
 * index keeps the array's elements packed (about 20 ns per call).
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
  const a = argsHead(n, object, session, kernel, heap, state, sender, callerState);
  for (let i = 0; i < n; i++) a[ARG0 + i] = source[offset + i];
  return a;
}

/**
 * {@link handlerArgs} for a call with exactly two arguments and no object
 * (a wheel's InputEvent: record, wheel ID), without the source list.
 */
export function handlerArgs2(session: unknown, kernel: unknown, heap: unknown, state: string, sender: unknown, callerState: string | undefined, arg0: unknown, arg1: unknown): HandlerArgs {
  const a = argsHead(2, undefined, session, kernel, heap, state, sender, callerState);
  a[ARG0] = arg0;
  a[ARG0 + 1] = arg1;
  return a;
}

// `_` for `n` arguments with everything before ARG0 set; the arguments are the caller's to set.
function argsHead(n: number, object: unknown, session: unknown, kernel: unknown, heap: unknown, state: string, sender: unknown, callerState: string | undefined): HandlerArgs {
  const a = new HandlerArgs(ARG0 + n);
  a[0] = object;
  a[1] = session;
  a[2] = kernel;
  a[3] = heap;
  a[4] = state;
  a[5] = sender;
  a[6] = undefined;
  a[7] = undefined;
  a[8] = undefined;
  a[9] = callerState;
  return a;
}
