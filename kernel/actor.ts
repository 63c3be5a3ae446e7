/**
 * What the kernel keeps for every session, the kernel's own pseudo-session
 * included: POE spreads this over its Resource tables; here each session
 * carries its own rows, allocated only when first used, so that 100 000
 * idle sessions stay small.
 */
import type { Destroyable } from "./constants.js";
import type { QueuedEvent } from "./events.js";

/** Lifecycle of a session record. */
export const ALIVE = 0;
export const STOPPING = 1;
export const STOPPED = 2;

/** A registered signal watcher (`sig(NAME, event, ...args)`). */
export interface SignalWatch {
  event: string;
  args: unknown[];
}

/**
 * The kernel's per-session record. Session and the Kernel both extend it;
 * its fields are the kernel's business (the leading underscore marks them
 * internal), read by the table modules of kernel/.
 */
export abstract class Actor {
  /** Session ID (a number; the kernel's is a string). */
  _id: number | string = 0;
  _lifecycle: number;
  _parent: Actor | undefined = undefined;
  _children: Set<Actor> | undefined = undefined;
  /** Events queued to this session (POE's "to" count). */
  _toCount = 0;
  /** Events queued by this session to others (POE's "from" count). */
  _fromCount = 0;
  _aliases: Set<string> | undefined = undefined;
  _extrefs: Map<string, number> | undefined = undefined;
  /** Watched handles (POE's file-descriptor watchers). */
  _handles = 0;
  /** The wheels destroyed when the session stops, in the order adopted. */
  _wheels: Destroyable[] | undefined = undefined;
  _signals: Map<string, SignalWatch> | undefined = undefined;
  _timersByName: Map<string, Set<QueuedEvent>> | undefined = undefined;
  /** Marked for the next GC sweep. */
  _marked = false;

  constructor() {
    // Assigned here, not by an initializer: V8 treats a field stored only
    // once as constant, and the first session to stop would then throw away
    // all code optimised on that (docs/benchmarks.md, run P).
    this._lifecycle = ALIVE;
  }

  /** POE's session reference count (`Resource/Sessions.pm`). */
  _refcount(): number {
    return (
      (this._toCount > 0 ? 1 : 0) +
      (this._fromCount > 0 ? 1 : 0) +
      (this._aliases?.size ?? 0) +
      (this._extrefs?.size ?? 0) +
      (this._children?.size ?? 0) +
      this._handles
    );
  }

  _addChild(child: Actor): void {
    (this._children ??= new Set()).add(child);
  }

  /** The session's ID: integers from 1 for sessions, a string for the kernel. */
  abstract ID(): number | string;
}
