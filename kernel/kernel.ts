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
import { EINVAL, ESRCH, ET_CALL, ET_GC, ET_POST, ET_SIGNAL, type Destroyable } from "./constants.js";
import { before, EventFifo, TimerHeap, type QueuedEvent } from "./events.js";
import type { Session, StateEntry } from "./session.js";
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
 * The POE kernel. There is one, `poeKernel` (also `POE.Kernel`).
 *
 * Ports POE::Kernel.
 */
export class Kernel extends Actor {
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

  #run: RunState | undefined = undefined;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined = undefined;
  #inLoop = false;
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

  // --- events --------------------------------------------------------------

  /**
   * Queue `event` for `dest` (a session, its ID, or an alias). Returns true,
   * or false with `errno` ESRCH when `dest` does not resolve.
   *
   * Ports POE::Kernel::post.
   */
  post(dest: unknown, event: string, ...args: unknown[]): boolean {
    const session = this._resolve(dest);
    if (session === undefined) {
      this.errno = ESRCH;
      return false;
    }
    if (typeof event !== "string") throw badEvent("post", event);
    this._enqueue(session, this._active, event, ET_POST, args);
    return true;
  }

  /**
   * Queue `event` for the active session. Returns undefined.
   *
   * Ports POE::Kernel::yield.
   */
  yield(event: string, ...args: unknown[]): undefined {
    if (typeof event !== "string") throw badEvent("yield", event);
    const active = this._active;
    this._enqueue(active, active, event, ET_POST, args);
    return undefined;
  }

  /**
   * Run `event`'s handler in `dest` now and return its value. `errno` is 0
   * afterwards, or ESRCH when `dest` does not resolve. A call to the active
   * session runs the handler directly and lets its exceptions through; a
   * call to another session turns an exception into that session's DIE
   * signal and returns undefined.
   *
   * Ports POE::Kernel::call.
   */
  call(dest: unknown, event: string, ...args: unknown[]): unknown;
  call(dest: unknown, event: string): unknown {
    // `arguments` instead of a rest array: one allocation less per call.
    const session = this._resolve(dest);
    if (session === undefined) {
      this.errno = ESRCH;
      return undefined;
    }
    if (typeof event !== "string") throw badEvent("call", event);
    const active = this._active;
    if (session === active && session !== this) {
      const value = (session as Session)._invoke(this, session, event, arguments, 2, this._activeEvent);
      this.errno = 0;
      return value;
    }
    const value = this._dispatchFrom(session, active, event, ET_CALL, arguments, 2, this._activeEvent);
    this.errno = 0;
    return value;
  }


  /** Number of events queued. Ports POE::Kernel::get_event_count. */
  get_event_count(): number {
    return this._fifo.length + this._timers.length;
  }

  /** Due time of the next queued event, or undefined. Ports POE::Kernel::get_next_event_time. */
  get_next_event_time(): number | undefined {
    const f = this._fifo.peek();
    const t = this._timers.peek();
    if (f === undefined) return t?.priority;
    if (t === undefined) return f.priority;
    return before(t, f) ? t.priority : f.priority;
  }

  /** The session whose handler is running, or the kernel. Ports POE::Kernel::get_active_session. */
  get_active_session(): Actor {
    return this._active;
  }

  /** The event being handled, or undefined outside handlers. Ports POE::Kernel::get_active_event. */
  get_active_event(): string | undefined {
    return this._activeEvent;
  }


  // --- timers ----------------------------------------------------------------

  /**
   * Clear every timer of the active session named `name`, then, if `epoch`
   * is given, set one for that epoch time. Returns 0, or EINVAL without a name.
   *
   * Ports POE::Kernel::alarm.
   */
  alarm(name: string, epoch?: number, ...args: unknown[]): number {
    if (!timers.checkName("alarm", name)) return EINVAL;
    const has = timers.checkTime("alarm", "time", epoch);
    timers.clearByName(this, name);
    if (has) timers.add(this, name, epoch as number, epoch as number, args);
    return 0;
  }

  /** Add a timer at `epoch` without clearing others. 0 or EINVAL. Ports POE::Kernel::alarm_add. */
  alarm_add(name: string, epoch: number, ...args: unknown[]): number {
    if (!timers.checkName("alarm_add", name) || !timers.checkTime("alarm_add", "time", epoch)) return EINVAL;
    timers.add(this, name, epoch, epoch, args);
    return 0;
  }

  /**
   * Clear the active session's timers named `name`, then, if `seconds` is
   * given, set one `seconds` from now. 0 or EINVAL.
   *
   * Ports POE::Kernel::delay.
   */
  delay(name: string, seconds?: number, ...args: unknown[]): number {
    if (!timers.checkName("delay", name)) return EINVAL;
    const has = timers.checkTime("delay", "seconds", seconds);
    timers.clearByName(this, name);
    if (has) timers.add(this, name, this.time() + (seconds as number), 0, args);
    return 0;
  }

  /** Add a timer `seconds` from now without clearing others. 0 or EINVAL. Ports POE::Kernel::delay_add. */
  delay_add(name: string, seconds: number, ...args: unknown[]): number {
    if (!timers.checkName("delay_add", name) || !timers.checkTime("delay_add", "seconds", seconds)) return EINVAL;
    timers.add(this, name, this.time() + seconds, 0, args);
    return 0;
  }

  /** Add a timer at `epoch`; returns its ID, or undefined with errno EINVAL. Ports POE::Kernel::alarm_set. */
  alarm_set(name: string, epoch: number, ...args: unknown[]): number | undefined {
    if (!timers.checkName("alarm_set", name) || !timers.checkTime("alarm_set", "time", epoch)) {
      this.errno = EINVAL;
      return undefined;
    }
    return timers.add(this, name, epoch, epoch, args).id;
  }

  /** Add a timer `seconds` from now; returns its ID, or undefined with errno EINVAL. Ports POE::Kernel::delay_set. */
  delay_set(name: string, seconds: number, ...args: unknown[]): number | undefined {
    if (!timers.checkName("delay_set", name) || !timers.checkTime("delay_set", "seconds", seconds)) {
      this.errno = EINVAL;
      return undefined;
    }
    const due = this.time() + seconds;
    return timers.add(this, name, due, due, args).id;
  }

  /**
   * Move timer `id` by `delta` seconds; returns its new due epoch time, or
   * undefined with errno EINVAL, ESRCH or EPERM (another session's timer).
   *
   * Ports POE::Kernel::alarm_adjust.
   */
  alarm_adjust(id: number, delta: number): number | undefined {
    const ev = timers.findOwn(this, "alarm_adjust", id);
    if (ev === undefined) return undefined;
    if (!timers.checkTime("alarm_adjust", "delta", delta)) {
      this.errno = EINVAL;
      return undefined;
    }
    this._timers.reprioritize(ev, ev.priority + delta);
    ev.wall = ev.priority;
    this._wake();
    return ev.priority;
  }

  /** Reschedule timer `id` to `seconds` from now; returns the new due time. Ports POE::Kernel::delay_adjust. */
  delay_adjust(id: number, seconds: number): number | undefined {
    const ev = timers.findOwn(this, "delay_adjust", id);
    if (ev === undefined) return undefined;
    if (!timers.checkTime("delay_adjust", "seconds", seconds)) {
      this.errno = EINVAL;
      return undefined;
    }
    this._timers.reprioritize(ev, this.time() + seconds);
    ev.wall = ev.priority;
    this._wake();
    return ev.priority;
  }

  /**
   * Remove timer `id`; returns `[name, dueTime, args]`, or undefined with
   * errno EINVAL, ESRCH or EPERM.
   *
   * Ports POE::Kernel::alarm_remove.
   */
  alarm_remove(id: number): [string, number, unknown[]] | undefined {
    const ev = timers.findOwn(this, "alarm_remove", id);
    if (ev === undefined) return undefined;
    this._unqueue(ev);
    return [ev.name, ev.wall, ev.args];
  }

  /**
   * Remove every timer of the active session; returns `[name, time, ...args]`
   * for each (args flattened, time 0 for delay()/delay_add() timers, as POE).
   *
   * Ports POE::Kernel::alarm_remove_all.
   */
  alarm_remove_all(): unknown[][] {
    return timers.removeAll(this);
  }

  // --- aliases and IDs ---------------------------------------------------------

  /** Give the active session an alias: 0, or EEXIST. Ports POE::Kernel::alias_set. */
  alias_set(name: string): number {
    if (typeof name !== "string") throw new TypeError(`POE::Kernel->alias_set: alias must be a string, got ${describe(name)}`);
    return this._aliasTable.add(this._active, name);
  }

  /** Remove one of the active session's aliases: 0, ESRCH or EPERM. Ports POE::Kernel::alias_remove. */
  alias_remove(name: string): number {
    if (typeof name !== "string") throw new TypeError(`POE::Kernel->alias_remove: alias must be a string, got ${describe(name)}`);
    const r = this._aliasTable.remove(this._active, name);
    if (r === 0) {
      this._mark(this._active);
      this._wake();
    }
    return r;
  }

  /** The session for a session, ID or alias; undefined if none. Ports POE::Kernel::alias_resolve. */
  alias_resolve(what: unknown): Actor | undefined {
    return this._resolve(what);
  }

  /** A session's aliases, sorted (default: the active session). Ports POE::Kernel::alias_list. */
  alias_list(session?: unknown): string[] {
    const actor = session === undefined ? this._active : this._resolve(session);
    if (actor === undefined) {
      this.errno = ESRCH;
      return [];
    }
    return this._aliasTable.list(actor);
  }

  /** The session with ID `id`, or undefined with errno ESRCH. Ports POE::Kernel::ID_id_to_session. */
  ID_id_to_session(id: unknown): Actor | undefined {
    const actor = id === this._id ? this : this._sessions.get(Number(id));
    if (actor === undefined) this.errno = ESRCH;
    return actor;
  }

  /** A session's ID, or undefined with errno ESRCH. Ports POE::Kernel::ID_session_to_id. */
  ID_session_to_id(session: unknown): number | string | undefined {
    const actor = this._resolve(session);
    if (actor === undefined) {
      this.errno = ESRCH;
      return undefined;
    }
    this.errno = 0;
    return actor._id;
  }

  // --- reference counts, detaching, states ---------------------------------

  /** Add one to tag `tag` of session `id`; returns the tag's count, or undefined (ESRCH). Ports POE::Kernel::refcount_increment. */
  refcount_increment(id: unknown, tag: string): number | undefined {
    const session = typeof id === "number" || typeof id === "string" ? this._sessions.get(Number(id)) : undefined;
    if (session === undefined) {
      this.errno = ESRCH;
      return undefined;
    }
    const refs = (session._extrefs ??= new Map());
    const count = (refs.get(tag) ?? 0) + 1;
    if (count === 1) this._extrefsTotal += 1;
    refs.set(tag, count);
    return count;
  }

  /** Take one from tag `tag` of session `id`; returns the count left, or undefined (ESRCH). Ports POE::Kernel::refcount_decrement. */
  refcount_decrement(id: unknown, tag: string): number | undefined {
    const session = typeof id === "number" || typeof id === "string" ? this._sessions.get(Number(id)) : undefined;
    const count = session?._extrefs?.get(tag);
    if (session === undefined || count === undefined) {
      this.errno = ESRCH;
      return undefined;
    }
    const refs = session._extrefs as Map<string, number>;
    if (count > 1) {
      refs.set(tag, count - 1);
      return count - 1;
    }
    refs.delete(tag);
    this._extrefsTotal -= 1;
    this._mark(session);
    this._wake();
    return 0;
  }

  /** Make the active session a child of the kernel. 1, or undefined (EPERM). Ports POE::Kernel::detach_myself. */
  detach_myself(): number | undefined {
    return lifecycle.detachMyself(this);
  }

  /** Make a child of the active session a child of the kernel. 1, or undefined (ESRCH, EPERM). Ports POE::Kernel::detach_child. */
  detach_child(child: unknown): number | undefined {
    return lifecycle.detachChild(this, child);
  }

  /**
   * Add, replace or remove a handler of the active session. `handler` is a
   * function, or (with `method`, default the event name) an object or class
   * whose method handles it; omitted or false removes the handler.
   * Returns 0, or ESRCH outside a session.
   *
   * Ports POE::Kernel::state.
   * Differs from POE: a class passed without `method` is taken as an inline
   * function; pass the method name to register a package state.
   */
  state(event: string, handler?: unknown, method?: string): number {
    const session = this._active;
    if (session === this) return ESRCH;
    if (typeof event !== "string") throw badEvent("state", event);
    if (event === "_signal") throw new Error("The _signal event is deprecated. Please use sig() to register a signal handler");
    (session as Session)._setState(event, stateEntry(event, handler, method));
    return 0;
  }

  // --- signals -----------------------------------------------------------------

  /**
   * Watch signal `name` with `event` (extra `args` follow the signal's own);
   * without `event`, stop watching. Watching keeps no session alive. OS
   * signals (INT, TERM, HUP, USR1, USR2, …) are taken from `process` only
   * while some session watches them.
   *
   * Ports POE::Kernel::sig.
   */
  sig(name: string, event?: string, ...args: unknown[]): void {
    if (typeof name !== "string") throw new TypeError(`POE::Kernel->sig: signal name must be a string, got ${describe(name)}`);
    if (event !== undefined && event !== null && typeof event !== "string") throw badEvent("sig", event);
    signals.watch(this, name, event ?? undefined, args);
  }

  /** Mark the signal being delivered as handled. Ports POE::Kernel::sig_handled. */
  sig_handled(): void {
    this._sigHandled += 1;
  }

  /**
   * Send signal `name` to `dest` and its descendants (the kernel: every
   * session). True, or false with errno ESRCH.
   *
   * Ports POE::Kernel::signal.
   */
  signal(dest: unknown, name: string, ...args: unknown[]): boolean {
    const actor = this._resolve(dest);
    if (actor === undefined) {
      this.errno = ESRCH;
      return false;
    }
    if (typeof name !== "string") throw new TypeError(`POE::Kernel->signal: signal name must be a string, got ${describe(name)}`);
    signals.enqueueSignal(this, actor, name, args);
    return true;
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
    this.#schedule();
  }

  /**
   * Run `fn` once the current handler, I/O callback or run-loop turn has
   * finished (a microtask). Wheels use it to batch socket writes made by
   * several `put()` calls into one.
   */
  _defer(fn: () => void): void {
    queueMicrotask(fn);
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
    if (this.#run === undefined) return;
    const deadline = performance.now() + TURN_BUDGET_MS;
    this.#inLoop = true;
    let more = false;
    try {
      for (let n = 1; ; n++) {
        this.#timeslice();
        if (this._lifecycle !== ALIVE) break;
        if (!this.#dueNow()) break;
        if ((n & 15) === 0 && performance.now() > deadline) {
          more = true;
          break;
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
    const now = (this._cachedNow = this._clock.now());
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
        if (next !== undefined && next.priority > this._clock.now()) (this._clock as any).set(next.priority);
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
function countEvent(kernel: Kernel, ev: QueuedEvent): void {
  if (ev.dest !== kernel) ev.dest._toCount += 1;
  if (ev.sender !== ev.dest && ev.sender !== kernel) ev.sender._fromCount += 1;
}

function uncountEvent(kernel: Kernel, ev: QueuedEvent): void {
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

function badEvent(method: string, event: unknown): TypeError {
  return new TypeError(`POE::Kernel->${method}: event must be a string, got ${describe(event)}`);
}

/** POE's kernel ID: `<hostname>-<hex time>-<hex pid>-<hex sequence>` (`Kernel.pm:2471-2494`). */
function makeKernelId(): string {
  const hex = (n: number) => Math.floor(n).toString(16).padStart(8, "0");
  return `${hostname()}-${hex(Date.now() / 1000)}-${hex(process.pid)}-${hex(1)}`;
}

/** The kernel. Perl's `$poe_kernel`. */
export const poeKernel = new Kernel();

function stateEntry(event: string, handler: unknown, method: string | undefined): StateEntry | undefined {
  if (handler === undefined || handler === null || handler === false) return undefined;
  if (typeof handler === "function" && method === undefined) return { fn: handler as StateEntry["fn"], obj: undefined, method: event };
  if (typeof handler !== "object" && typeof handler !== "function") {
    throw new TypeError(`POE::Kernel->state: handler for '${event}' must be a function, object or class, got ${describe(handler)}`);
  }
  const name = method ?? event;
  if (typeof (handler as any)[name] !== "function") {
    throw new TypeError(`POE::Kernel->state: object does not have a '${name}' method`);
  }
  return { fn: undefined, obj: handler, method: name };
}
