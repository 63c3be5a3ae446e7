/**
 * The kernel's event and timer calls: post, yield, call, and the alarm and
 * delay families. Ports `Kernel.pm:1664-2170`.
 */
import { STOPPED, type Actor } from "./actor.js";
import { ARG0, EINVAL, ESRCH, ET_CALL, ET_POST } from "./constants.js";
import { before, NO_ARGS } from "./events.js";
import type { Session } from "./session.js";
import { KernelLoop } from "./kernel-loop.js";
import { HandlerArgs, handlerArgs } from "./handler-args.js";
import * as signals from "./signals.js";
import { badEvent } from "./util.js";
import * as timers from "./timers.js";

/** Events and timers; {@link Kernel} adds aliases, signals and the rest. */
export class KernelEvents extends KernelLoop {
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
  yield(event: string, ...args: unknown[]): undefined;
  yield(event: string): undefined {
    if (typeof event !== "string") throw badEvent("yield", event);
    const active = this._active;
    // `arguments`, not a rest array: no allocation for an event without arguments.
    let args = NO_ARGS;
    const n = arguments.length - 1;
    if (n > 0) {
      args = new Array<unknown>(n);
      for (let i = 0; i < n; i++) args[i] = arguments[i + 1];
    }
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
    // `arguments` instead of a rest array, read only here and in the inlined
    // handlerArgs: passed on to a function V8 does not inline, it would be
    // materialised on every call.
    const session = this._resolve(dest);
    if (session === undefined) {
      this.errno = ESRCH;
      return undefined;
    }
    if (typeof event !== "string") throw badEvent("call", event);
    const active = this._active;
    const callerState = this._activeEvent;
    let value: unknown;
    const fn = session === this ? undefined : (session as Session)._plainHandler(event);
    if (fn !== undefined) {
      // The common case, without _invoke's lookups: an inline handler in a
      // session without trace/default options.
      const a = handlerArgs(undefined, session, this, (session as Session)._heap, event, active, callerState, arguments, 2);
      if (session === active) value = fn(a);
      else {
        this._active = session;
        this._activeEvent = event;
        try {
          value = fn(a);
        } catch (error) {
          signals.handlerDied(this, session, active, event, ET_CALL, callerState, error);
          value = undefined;
        } finally {
          this._active = active;
          this._activeEvent = callerState;
        }
      }
    } else if (session === this) value = undefined;
    else if (session === active) value = (session as Session)._invoke(this, session, event, arguments, 2, callerState);
    else value = this._dispatchFrom(session, active, event, ET_CALL, arguments, 2, callerState);
    this.errno = 0;
    return value;
  }

  /**
   * `call(session, event, arg0, arg1)` from a wheel's I/O phase, small
   * enough for V8 to inline into the wheel's read loop: when `session` is
   * the active session, not stopped, and `event` has a plain inline
   * handler, the handler runs directly, exactly as call() would run it;
   * otherwise this is call().
   * Internal.
   */
  _callActive2(session: Session, event: string, arg0: unknown, arg1: unknown): unknown {
    if (session === this._active && session._lifecycle !== STOPPED) {
      // _plainHandler's cache test written out: this runs once per line, cold at first.
      const fn = event === session._lastState ? session._lastFn : session._plainHandler(event);
      if (fn !== undefined) {
        // handlerArgs() for two arguments and no object, without the source list.
        const value = fn(new HandlerArgs(ARG0 + 2, session, undefined, this, session._heap, event, session, this._activeEvent, arg0, arg1));
        this.errno = 0;
        return value;
      }
    }
    return this.call(session, event, arg0, arg1);
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
    return timers.adjust(this, "alarm_adjust", "delta", id, delta, (ev) => ev.priority + delta);
  }

  /** Reschedule timer `id` to `seconds` from now; returns the new due time. Ports POE::Kernel::delay_adjust. */
  delay_adjust(id: number, seconds: number): number | undefined {
    return timers.adjust(this, "delay_adjust", "seconds", id, seconds, () => this.time() + seconds);
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
}
