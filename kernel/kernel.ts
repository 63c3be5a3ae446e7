/**
 * POE::Kernel: one queue of named events, dispatched to sessions in POE's
 * order, with POE's session lifetimes. Ports lib/POE/Kernel.pm.
 *
 * The class is built in layers, one file each: kernel-base.ts (state and
 * internals), kernel-loop.ts (the run loop and the wheels' I/O phase),
 * kernel-events.ts (post, yield, call, timers), and this file (aliases,
 * IDs, reference counts, detaching, state(), signals). The tables live
 * beside them (aliases.ts, signals.ts, timers.ts, lifecycle.ts).
 */
import type { Actor } from "./actor.js";
import { ESRCH } from "./constants.js";
import { KernelEvents } from "./kernel-events.js";
import type { Session, StateEntry } from "./session.js";
import { badEvent, describe } from "./util.js";
import * as lifecycle from "./lifecycle.js";
import * as signals from "./signals.js";

/**
 * The POE kernel. There is one, `poeKernel` (also `POE.Kernel`).
 *
 * Ports POE::Kernel.
 */
export class Kernel extends KernelEvents {
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
