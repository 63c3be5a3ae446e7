/**
 * POE::Kernel's state: the event queues, the session table, dispatch with
 * the active session switched, the GC marks and the bookkeeping of wheels
 * and watched handles. Ports the data side of lib/POE/Kernel.pm; the run
 * loop on top is kernel-loop.ts, the tables live beside it (aliases.ts,
 * signals.ts, timers.ts, lifecycle.ts).
 */
import { hostname } from "node:os";
import { Actor, ALIVE, STOPPED } from "./actor.js";
import { realClock, type Clock } from "./clock.js";
import { ET_GC, type Destroyable } from "./constants.js";
import { EventFifo, TimerHeap, type QueuedEvent } from "./events.js";
import type { Session } from "./session.js";
import { AliasTable } from "./aliases.js";
import { describe } from "./util.js";
import * as lifecycle from "./lifecycle.js";
import * as signals from "./signals.js";
import * as timers from "./timers.js";

/**
 * The kernel's state and the internals its table modules and the wheels
 * use. {@link KernelLoop} adds the run loop, {@link Kernel} the public API.
 */
export abstract class KernelBase extends Actor {
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
    this._wake();
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
    this._wake();
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
    // After run() finished the kernel comes back, with its ID (as POE).
    if (this._lifecycle !== ALIVE) this._lifecycle = ALIVE;
    lifecycle.startSession(this, session, args);
  }

  /** `session N (alias, …)`, POE's loggable form. */
  _loggable(actor: Actor): string {
    if (actor === this) return `kernel ${String(this._id)}`;
    const aliases = actor._aliases ? [...actor._aliases].sort() : [];
    return `session ${String(actor._id)}${aliases.length ? ` (${aliases.join(", ")})` : ""}`;
  }


  /** Wake the run loop (something became due); {@link KernelLoop} runs it. */
  abstract _wake(): void;

  /** A wheel now belongs to `session`: it is destroyed when the session stops. */
  _wheelAdopt(session: Actor, wheel: Destroyable): void {
    if (session._lifecycle === STOPPED) return;
    // A session holds one wheel or two (a client: its SocketFactory, then
    // its ReadWrite), in arrays made to size: a Set's table is 188 bytes,
    // and V8 grows an array to 17 slots on its first push.
    const wheels = session._wheels;
    if (wheels === undefined) session._wheels = [wheel];
    else if (wheels.includes(wheel)) return;
    else if (wheels.length === 1) session._wheels = [wheels[0] as Destroyable, wheel];
    else wheels.push(wheel);
  }

  /** A wheel no longer needs destroying with `session`. */
  _wheelRelease(session: Actor, wheel: Destroyable): void {
    const wheels = session._wheels;
    const i = wheels === undefined ? -1 : wheels.indexOf(wheel);
    if (i >= 0) (wheels as Destroyable[]).splice(i, 1);
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
}

/** The references an event holds: +1 to-count on dest, +1 from-count on a different sender. */
function countEvent(kernel: KernelBase, ev: QueuedEvent): void {
  if (ev.dest !== kernel) ev.dest._toCount += 1;
  if (ev.sender !== ev.dest && ev.sender !== kernel) ev.sender._fromCount += 1;
}

/** Release the references `ev` held, marking a session nothing holds any more. */
export function uncountEvent(kernel: KernelBase, ev: QueuedEvent): void {
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