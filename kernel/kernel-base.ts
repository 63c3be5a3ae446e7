/**
 * POE::Kernel: one queue of named events, dispatched to sessions in POE's
 * order, with POE's session lifetimes. Ports lib/POE/Kernel.pm; the
 * tables live beside it (aliases.ts, signals.ts, timers.ts, lifecycle.ts).
 *
 * The run loop, one Node turn at a time:
 *
 *   wake() ──► setImmediate(turn)
 *   turn():  ┌─► timeslice: idle check ─► due phase (now captured once) ─► GC sweep
 *            │        │
 *            └─ more due now and under the turn's budget?
 *                     │ no
 *                     ▼
 *            due now ─► setImmediate(turn)   (give Node's I/O a turn)
 *            timers  ─► one setTimeout for the earliest (virtual clock: jump to it)
 *            nothing ─► wait: I/O callbacks (_ioDispatch) or a post wake us
 *
 * I/O arrives between turns; wheels run it through _ioDispatch, POE's I/O
 * phase, so events it posts run in the next timeslice, as in POE.
 */
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import { Actor, ALIVE, STOPPED } from "./actor.js";
import { realClock, type Clock } from "./clock.js";
import { ET_GC, ET_POST, ET_SIGNAL, type Destroyable } from "./constants.js";
import { before, EventFifo, TimerHeap, type QueuedEvent } from "./events.js";
import type { Session } from "./session.js";
import { AliasTable } from "./aliases.js";
import { describe } from "./util.js";
import * as lifecycle from "./lifecycle.js";
import * as signals from "./signals.js";
import * as timers from "./timers.js";

/** How long one Node turn may dispatch before yielding to Node's I/O. */
const TURN_BUDGET_MS = 8;

/** What `run()` resolves or rejects with. */
interface RunState {
  promise: Promise<void>;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * The kernel's state, its run loop and the internals its table modules and
 * the wheels use. {@link Kernel} adds the public API on top.
 */
export class KernelBase extends Actor {
  /**
   * Perl's `$!` after a kernel call: set by calls that fail (ESRCH, EPERM,
   * EINVAL, …), reset to 0 by a successful `call`.
   */
  errno = 0;

  // Internals shared with the table modules of kernel/ (lifecycle, signals,
  // timers). Not part of the public API.
  _clock: Clock = realClock;
  readonly _fifo = new EventFifo();
  readonly _timers = new TimerHeap();
  readonly _aliasTable = new AliasTable();
  readonly _sessions = new Map<number, Session>();
  _nextEventId = 1;
  _nextSid = 1;
  _active: Actor = this;
  _activeEvent: string | undefined = undefined;
  _markedList: Actor[] = [];
  /** The kernel exception `run()` will reject with. */
  _exception: { value: unknown } | undefined = undefined;
  /** sig_handled() count of the signal being dispatched. */
  _sigHandled = 0;
  /** Total watched handles and extra refs, for the idle test. */
  _handlesTotal = 0;
  _extrefsTotal = 0;
  /** GC grace events queued (bookkeeping; they don't count as work). */
  _gcQueued = 0;
  /** Last now the kernel read, stamped on posts while no timer is pending. */
  _cachedNow = 0;
  /** Run-loop turns so far: a wheel tells Node's loop iterations apart by it. */
  _turns = 0;

  #run: RunState | undefined = undefined;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined = undefined;
  #inLoop = false;
  /** Work for POE's next I/O phase (socket writes), see _deferIO. */
  #ioQueue: Array<() => void> = [];
  constructor() {
    super();
    this._id = makeKernelId();
    this._cachedNow = this._clock.now();
  }

  /** The kernel's ID, a string unique to this process. Ports POE::Kernel::ID. */
  ID(): string {
    return this._id as string;
  }

  override toString(): string {
    return `POE::Kernel(${this._id as string})`;
  }

  // --- running -------------------------------------------------------------

  /**
   * Dispatch events until the last session has stopped. Resolves then;
   * rejects with the value a handler threw when nothing handled its DIE
   * signal. Can be called again after it finished.
   *
   * Ports POE::Kernel::run.
   * Differs from POE: returns a Promise (Perl's run() blocks).
   */
  run(): Promise<void> {
    if (this.#run !== undefined) return this.#run.promise;
    let resolve!: () => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#run = { promise, resolve, reject };
    if (this._lifecycle !== ALIVE) {
      this.#finish();
      return promise;
    }
    this._cachedNow = this._clock.now();
    this.#schedule();
    return promise;
  }

  /**
   * Run one timeslice now. Returns 1, or `undefined` once no session is left;
   * throws what a handler threw when nothing handled its DIE signal.
   *
   * Ports POE::Kernel::run_one_timeslice.
   */
  run_one_timeslice(): number | undefined {
    if (this._lifecycle !== ALIVE) return undefined;
    this.#timeslice();
    this.#runIO();
    // As POE (`Kernel.pm:1246-1260`): the slice that stops the kernel still
    // returns 1, and a kernel exception is thrown here unless run() is
    // waiting to reject with it.
    const exception = this.#run === undefined ? this._exception : undefined;
    if (exception !== undefined) this._exception = undefined;
    if (this._lifecycle !== ALIVE) this.#finish();
    if (exception !== undefined) throw exception.value;
    return 1;
  }

  /**
   * Stop every session, children first, delivering `_stop` and
   * `_child('lose')` as POE's code does; `run()` then resolves.
   *
   * Ports POE::Kernel::stop.
   */
  stop(): void {
    lifecycle.stopAll(this);
    // From inside the loop the current turn goes on; scheduling another
    // would leave a stray setImmediate after run() resolved.
    this._wake();
  }

  /**
   * Replace the kernel's clock (e.g. with a {@link VirtualClock} in tests).
   * Only while no timer is pending.
   */
  set_clock(clock: Clock): void {
    if (clock === null || typeof clock !== "object" || typeof clock.now !== "function") {
      throw new TypeError(`POE::Kernel->set_clock: clock must have a now() method, got ${describe(clock)}`);
    }
    if (this._timers.length > 0) throw new Error("POE::Kernel->set_clock: timers are pending; set the clock before scheduling any");
    this._clock = clock;
    this._cachedNow = clock.now();
  }

  /** The kernel's current time in epoch seconds (`POE.time()`). */
  time(): number {
    return (this._cachedNow = this._clock.now());
  }

  // --- internals shared with kernel/ modules and wheels/ -------------------

  /** Resolve a session, ID, alias or the kernel; undefined if none. */
  _resolve(dest: unknown): Actor | undefined {
    if (typeof dest === "string") {
      // POE's order: a session's ID before an alias, the kernel's ID last.
      const c = dest.charCodeAt(0);
      if (c >= 48 && c <= 57 && dest.length < 16 && isDigits(dest)) {
        const s = this._sessions.get(Number(dest));
        if (s !== undefined) return s;
      }
      const aliased = this._aliasTable.resolve(dest);
      if (aliased !== undefined) return aliased;
      // The kernel stays reachable between runs, as in POE.
      if (dest === this._id) return this;
      return undefined;
    }
    if (typeof dest === "number") return this._sessions.get(dest);
    if (dest instanceof Actor) return dest._lifecycle === STOPPED && dest !== this ? undefined : dest;
    return undefined;
  }

  /** Queue an event due now. */
  _enqueue(dest: Actor, sender: Actor, name: string, type: number, args: unknown[]): QueuedEvent {
    const ev: QueuedEvent = {
      id: this._nextEventId++,
      priority: this._timers.length > 0 ? (this._cachedNow = this._clock.now()) : this._cachedNow,
      dest,
      sender,
      name,
      type,
      args,
      callerState: this._activeEvent,
      wall: 0,
      heapIndex: -1,
      done: false,
    };
    this._fifo.push(ev);
    if (type === ET_GC) this._gcQueued += 1;
    countEvent(this, ev);
    if (!this.#scheduled && !this.#inLoop) this.#schedule();
    return ev;
  }

  /** Queue a timer; `wall` is what alarm_remove reports (0 for delay). */
  _enqueueTimer(dest: Actor, name: string, priority: number, wall: number, type: number, args: unknown[]): QueuedEvent {
    const ev: QueuedEvent = {
      id: this._nextEventId++,
      priority,
      dest,
      sender: dest,
      name,
      type,
      args,
      callerState: this._activeEvent,
      wall,
      heapIndex: -1,
      done: false,
    };
    this._timers.push(ev);
    timers.indexByName(dest, ev);
    countEvent(this, ev);
    if (!this.#inLoop) this.#schedule();
    return ev;
  }

  /** Remove a queued event and release the references it held. */
  _unqueue(ev: QueuedEvent): void {
    if (ev.done) return;
    if (ev.heapIndex >= 0) {
      this._timers.remove(ev);
      timers.unindexByName(ev);
      ev.done = true;
    } else {
      this._fifo.remove(ev);
      if (ev.type === ET_GC) this._gcQueued -= 1;
    }
    uncountEvent(this, ev);
  }

  /**
   * Dispatch one event to `dest` with the active session switched to it.
   * A handler's exception becomes a DIE signal (or the kernel exception).
   */
  _dispatch(dest: Actor, sender: Actor, name: string, type: number, args: readonly unknown[], callerState: string | undefined): unknown {
    return this._dispatchFrom(dest, sender, name, type, args, 0, callerState);
  }

  /** {@link _dispatch} with the event's arguments taken from `source[offset..]`. */
  _dispatchFrom(
    dest: Actor,
    sender: Actor,
    name: string,
    type: number,
    source: ArrayLike<unknown>,
    offset: number,
    callerState: string | undefined,
  ): unknown {
    if (dest === this) return undefined;
    const prevActive = this._active;
    const prevEvent = this._activeEvent;
    this._active = dest;
    this._activeEvent = name;
    try {
      return (dest as Session)._invoke(this, sender, name, source, offset, callerState);
    } catch (error) {
      signals.handlerDied(this, dest, sender, name, type, callerState, error);
      return undefined;
    } finally {
      this._active = prevActive;
      this._activeEvent = prevEvent;
    }
  }


  /** Mark a session for the next GC sweep if nothing holds it. */
  _mark(actor: Actor): void {
    if (actor === this || actor._marked || actor._lifecycle !== ALIVE) return;
    if (actor._refcount() > 0) return;
    actor._marked = true;
    this._markedList.push(actor);
  }

  /** Stop every marked session that is still unreferenced, newest mark first. */
  _sweep(): void {
    const marked = this._markedList;
    while (marked.length > 0) {
      const actor = marked.pop() as Actor;
      actor._marked = false;
      if (actor._lifecycle === ALIVE && actor._refcount() === 0) lifecycle.stopSession(this, actor);
    }
  }

  /** Allocate and start a session (POE::Kernel::session_alloc). */
  _sessionAlloc(session: Session, args: unknown[]): void {
    if (this._lifecycle !== ALIVE) this.#revive();
    lifecycle.startSession(this, session, args);
  }

  /** `session N (alias, …)`, POE's loggable form. */
  _loggable(actor: Actor): string {
    if (actor === this) return `kernel ${String(this._id)}`;
    const aliases = actor._aliases ? [...actor._aliases].sort() : [];
    return `session ${String(actor._id)}${aliases.length ? ` (${aliases.join(", ")})` : ""}`;
  }

  /** Wake the run loop (something became due). */
  _wake(): void {
    if (!this.#scheduled && !this.#inLoop) this.#schedule();
  }

  /**
   * Run `fn` as POE's I/O phase for `session`: the active session is
   * `session`, the active event `stateName` (a wheel's private state), an
   * exception becomes the session's DIE signal; then the GC sweep runs and
   * the queue is woken. A no-op for a stopped session.
   */
  _ioDispatch(session: Actor, stateName: string, fn: () => void): void {
    if (session._lifecycle !== ALIVE || session === this) return;
    const prevActive = this._active;
    const prevEvent = this._activeEvent;
    this._active = session;
    this._activeEvent = stateName;
    try {
      fn();
    } catch (error) {
      signals.handlerDied(this, session, session, stateName, ET_POST, prevEvent, error);
    } finally {
      this._active = prevActive;
      this._activeEvent = prevEvent;
    }
    if (this.#inLoop) return;
    this._sweep();
    if (this._exception !== undefined) lifecycle.stopAll(this);
    if (this._lifecycle !== ALIVE || this.#ioQueue.length > 0 || this.#dueNow()) this.#schedule();
  }

  /**
   * Run `fn` once the current handler, I/O callback or run-loop turn has
   * finished (a microtask). Wheels use it to batch socket writes made by
   * several `put()` calls into one.
   */
  _defer(fn: () => void): void {
    queueMicrotask(fn);
  }

  /**
   * Run `fn` in POE's next I/O phase: after the due phase of the current or
   * next timeslice, with Node given a turn before the following timeslice
   * (so a write's completion is seen first, as POE's select would). A
   * ReadWrite's buffered output is written here: `put(); yield("shutdown")`
   * from an I/O handler finds the output still pending, as in POE.
   */
  _deferIO(fn: () => void): void {
    this.#ioQueue.push(fn);
    if (!this.#inLoop) this.#schedule();
  }

  /**
   * True when nothing runs before POE's next I/O phase but Node's other I/O
   * callbacks: outside the run loop, no event or timer due now, no session
   * to sweep.
   */
  _ioNext(): boolean {
    return !this.#inLoop && this.#idleSlice();
  }

  /**
   * Run `fn(arg)` in Node's next tick, where a stream's write callback
   * runs: a wheel completes there a write the socket took at once.
   */
  _tick<A>(fn: (arg: A) => void, arg: A): void {
    process.nextTick(fn, arg);
  }

  #runIO(): void {
    const queue = this.#ioQueue;
    this.#ioQueue = [];
    for (const fn of queue) fn();
  }

  /** A wheel now belongs to `session`: it is destroyed when the session stops. */
  _wheelAdopt(session: Actor, wheel: Destroyable): void {
    if (session._lifecycle === STOPPED) return;
    (session._wheels ??= new Set()).add(wheel);
  }

  /** A wheel no longer needs destroying with `session`. */
  _wheelRelease(session: Actor, wheel: Destroyable): void {
    session._wheels?.delete(wheel);
  }

  /** One watched handle (POE's fd watcher): keeps `session` alive and the kernel busy. */
  _handleHold(session: Actor): void {
    if (session._lifecycle === STOPPED) return;
    session._handles += 1;
    this._handlesTotal += 1;
  }

  /** Release one watched handle of `session`. */
  _handleRelease(session: Actor): void {
    if (session._handles <= 0) return;
    session._handles -= 1;
    this._handlesTotal -= 1;
    this._mark(session);
    this._wake();
  }

  // --- the loop --------------------------------------------------------------

  #schedule(): void {
    if (this.#run === undefined || this.#scheduled) return;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  readonly #turn = (): void => {
    this.#scheduled = false;
    this._turns += 1;
    if (this.#run === undefined) return;
    if (this.#ioQueue.length > 0 && this.#idleSlice()) {
      // Output queued by an I/O callback, and the timeslice before POE's
      // I/O phase would dispatch nothing: write now, with no slice first.
      this.#inLoop = true;
      try {
        this.#runIO();
      } finally {
        this.#inLoop = false;
      }
      if (this.#idleSlice()) {
        // What the I/O phase queued (a put in HighEvent) is the next one's.
        if (this.#ioQueue.length > 0) this.#schedule();
        else this.#armTimer();
        return;
      }
    }
    const deadline = performance.now() + TURN_BUDGET_MS;
    this._cachedNow = this._clock.now();
    this.#inLoop = true;
    let more = false;
    try {
      for (let n = 1; ; n++) {
        this.#timeslice();
        if (this._lifecycle !== ALIVE) break;
        if (this.#ioQueue.length > 0) {
          // POE's I/O phase, then Node's own I/O before the next timeslice;
          // a turn is needed only if that timeslice has something to do.
          this.#runIO();
          more = this.#ioQueue.length > 0 || this.#dueNow();
          break;
        }
        if (!this.#dueNow()) break;
        if ((n & 15) === 0) {
          this._cachedNow = this._clock.now();
          if (performance.now() > deadline) {
            more = true;
            break;
          }
        }
      }
    } finally {
      this.#inLoop = false;
    }
    if (this._lifecycle !== ALIVE) this.#finish();
    else if (more) this.#schedule();
    else this.#armTimer();
  };

  /** One POE timeslice: idle check, due phase, GC sweep. */
  #timeslice(): void {
    if (this._isIdle()) signals.enqueueSignal(this, this, "IDLE", []);
    // With no timer pending the wall clock is read once per 16 slices (in
    // #turn), not per slice: a read costs about as much as a dispatch. It
    // only stamps posts, whose order against a later alarm can then differ
    // from POE's by less than one turn (8 ms), where POE's own order is
    // timing-dependent.
    const clock = this._clock;
    const now = this._timers.length > 0 || clock.virtual ? (this._cachedNow = clock.now()) : this._cachedNow;
    const lastId = this._nextEventId;
    const fifo = this._fifo;
    const heap = this._timers;
    for (;;) {
      const f = fifo.peek();
      const t = heap.peek();
      const fDue = f !== undefined && f.id < lastId;
      const tDue = t !== undefined && (t.priority < now || (t.priority === now && t.id < lastId));
      let ev: QueuedEvent;
      if (fDue && (!tDue || before(f, t as QueuedEvent))) ev = fifo.shift() as QueuedEvent;
      else if (tDue) {
        ev = heap.shift() as QueuedEvent;
        timers.unindexByName(ev);
      } else break;
      ev.done = true;
      if (ev.type === ET_GC) this._gcQueued -= 1;
      uncountEvent(this, ev);
      if (ev.type & ET_SIGNAL) signals.dispatchSignal(this, ev);
      else if (ev.type !== ET_GC) this._dispatch(ev.dest, ev.sender, ev.name, ev.type, ev.args, ev.callerState);
      if (this._exception !== undefined) {
        lifecycle.stopAll(this);
        break;
      }
    }
    this._sweep();
  }

  /** POE's `_test_if_kernel_is_idle`: nothing queued, no handles, no extra refs. */
  _isIdle(): boolean {
    // Queued GC grace events count as work, as in POE (its idle queue size
    // only discounts the SIGCHLD poller): a session with nothing to do is
    // reaped before IDLE is sent.
    return (
      this._fifo.length + this._timers.length === 0 &&
      this._handlesTotal === 0 &&
      this._extrefsTotal === 0
    );
  }

  /** True when a timeslice now would dispatch nothing and stop nothing. */
  #idleSlice(): boolean {
    return this._lifecycle === ALIVE && this._markedList.length === 0 && !this.#dueNow();
  }

  #dueNow(): boolean {
    if (this._fifo.length > 0) return true;
    const t = this._timers.peek();
    if (t !== undefined && t.priority <= this._clock.now()) return true;
    return this._isIdle();
  }

  #armTimer(): void {
    const t = this._timers.peek();
    if (t === undefined) return;
    if (this._clock.virtual) {
      // Virtual time: give pending I/O this turn, then jump to the timer.
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        const next = this._timers.peek();
        if (next !== undefined && next.priority > this._clock.now()) this._clock.set?.(next.priority);
        this.#turn();
      });
      return;
    }
    const ms = Math.max(0, (t.priority - this._clock.now()) * 1000);
    this.#timer = setTimeout(this.#onTimer, Math.ceil(ms));
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (!this.#scheduled) this.#turn();
  };

  /** The kernel stopped: resolve or reject run(), clear what's left. */
  #finish(): void {
    const run = this.#run;
    this.#run = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#runIO();
    lifecycle.finalize(this);
    const exception = this._exception;
    this._exception = undefined;
    if (run === undefined) return;
    if (exception !== undefined) run.reject(exception.value);
    else run.resolve();
  }

  /** A session is created after run() finished: the kernel comes back, with its ID (as POE). */
  #revive(): void {
    this._lifecycle = ALIVE;
  }
}

/** The references an event holds: +1 to-count on dest, +1 from-count on a different sender. */
function countEvent(kernel: KernelBase, ev: QueuedEvent): void {
  if (ev.dest !== kernel) ev.dest._toCount += 1;
  if (ev.sender !== ev.dest && ev.sender !== kernel) ev.sender._fromCount += 1;
}

function uncountEvent(kernel: KernelBase, ev: QueuedEvent): void {
  const dest = ev.dest;
  if (dest !== kernel && --dest._toCount === 0) kernel._mark(dest);
  const sender = ev.sender;
  if (sender !== dest && sender !== kernel && --sender._fromCount === 0) kernel._mark(sender);
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}


/** POE's kernel ID: `<hostname>-<hex time>-<hex pid>-<hex sequence>` (`Kernel.pm:2471-2494`). */
function makeKernelId(): string {
  const hex = (n: number) => Math.floor(n).toString(16).padStart(8, "0");
  return `${hostname()}-${hex(Date.now() / 1000)}-${hex(process.pid)}-${hex(1)}`;
}
