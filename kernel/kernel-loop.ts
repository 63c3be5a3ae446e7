/**
 * POE::Kernel's run loop: timeslices in Node turns, and POE's I/O phase for
 * the wheels. Ports POE::Kernel's loop (`run`, `run_one_timeslice`, the
 * due-event phase of lib/POE/Kernel.pm and lib/POE/Loop/); the kernel's
 * state is kernel-base.ts.
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
import { performance } from "node:perf_hooks";
import { ALIVE, type Actor } from "./actor.js";
import { ET_GC, ET_POST, ET_SIGNAL } from "./constants.js";
import { before, type QueuedEvent } from "./events.js";
import { KernelBase, uncountEvent } from "./kernel-base.js";
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
 * The kernel's run loop and POE's I/O phase for the wheels, on top of its
 * state. {@link KernelEvents} and {@link Kernel} add the public API.
 */
export abstract class KernelLoop extends KernelBase {
  #run: RunState | undefined = undefined;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined = undefined;
  #inLoop = false;
  /** Work for POE's next I/O phase (socket writes), see _deferIO. */
  #ioQueue: Array<() => void> = [];

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
    return this._ioAfterSlice() && !this.#dueNow();
  }

  /**
   * True when POE's next I/O phase follows the next timeslice with no poll
   * of Node's in between: outside the run loop, no session to sweep (an
   * I/O callback's turn runs one timeslice, then the I/O phase).
   */
  _ioAfterSlice(): boolean {
    return !this.#inLoop && this._lifecycle === ALIVE && this._markedList.length === 0;
  }

  /**
   * Run `fn(arg)` in Node's next tick, where a stream's write callback
   * runs: a wheel completes there a write the socket took at once.
   */
  _tick<A>(fn: (arg: A) => void, arg: A): void {
    process.nextTick(fn, arg);
  }

  /**
   * Run `fn` in Node's check phase, right after the poll phase now running
   * (or the next one, from outside a poll): ReadWrite resets its count of
   * one poll's reads there.
   */
  _afterPoll(fn: () => void): void {
    setImmediate(fn);
  }

  #runIO(): void {
    const queue = this.#ioQueue;
    this.#ioQueue = [];
    for (const fn of queue) fn();
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
    if (this.#ioQueue.length > 0 && this.#idleSlice() && this.#ioFirst()) return;
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

  // Output queued by an I/O callback, and the timeslice before POE's I/O
  // phase would dispatch nothing: write now, with no slice first. True when
  // that was the whole turn.
  #ioFirst(): boolean {
    this.#inLoop = true;
    try {
      this.#runIO();
    } finally {
      this.#inLoop = false;
    }
    if (!this.#idleSlice()) return false;
    // What the I/O phase queued (a put in HighEvent) is the next one's.
    if (this.#ioQueue.length > 0) this.#schedule();
    else this.#armTimer();
    return true;
  }

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
}
