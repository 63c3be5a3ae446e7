/**
 * Session lifetimes: start, stop, free, detach. Ports the session parts of
 * lib/POE/Kernel.pm (`session_alloc`, detach_*) and
 * lib/POE/Resource/Sessions.pm (`_data_ses_stop`, `_data_ses_free`).
 *
 *   create() ─► _start ─► parent _child(create) ─► GC grace event queued
 *        │
 *        ▼   refcount > 0: posts to/from it, aliases, children, handles, extra refs
 *      ALIVE ──(refcount 0 at a sweep, unhandled terminal signal, stop())──►
 *   STOPPING: children move up (parent _child(gain), child _parent(old, new)),
 *             _stop, parent _child(lose) ─► free ─► STOPPED
 */
import { Actor, ALIVE, STOPPED, STOPPING } from "./actor.js";
import { DESTROY, EPERM, ESRCH, ET_CHILD, ET_GC, ET_PARENT, ET_START, ET_STOP } from "./constants.js";
import { NO_ARGS } from "./events.js";
import { releaseHeap } from "./heap.js";
import type { KernelBase as Kernel } from "./kernel-base.js";
import type { Session } from "./session.js";
import * as signals from "./signals.js";

/** Sessions whose `_start` is running, innermost last (detach_myself skips `_child(lose)` then). */
const starting: Actor[] = [];

export function startSession(kernel: Kernel, session: Session, args: unknown[]): void {
  session._id = kernel._nextSid++;
  kernel._sessions.set(session._id, session);
  const parent = kernel._active;
  session._parent = parent;
  parent._addChild(session);
  starting.push(session);
  let ret: unknown;
  try {
    // POE dispatches _start with no caller state (`Kernel.pm:1495-1499`).
    ret = kernel._dispatch(session, parent, "_start", ET_START, args, undefined);
  } finally {
    starting.pop();
  }
  const now = session._parent;
  if (session._lifecycle === ALIVE && now !== undefined && now !== kernel) {
    kernel._dispatch(now, kernel, "_child", ET_CHILD, ["create", session, ret], undefined);
  }
  if (session._lifecycle === ALIVE) kernel._enqueue(session, kernel, "_garbage_collect", ET_GC, NO_ARGS);
}

/** Stop one session (POE's `_data_ses_stop`). */
export function stopSession(kernel: Kernel, session: Actor): void {
  if (session._lifecycle !== ALIVE) return;
  if (session === kernel) {
    // The kernel is a session too: stopping it frees its aliases, so one
    // set outside any session is no leak (`Sessions.pm` `_data_ses_free`).
    kernel._aliasTable.clearSession(kernel);
    kernel._lifecycle = STOPPED;
    return;
  }
  session._lifecycle = STOPPING;
  const parent = session._parent as Actor;
  if (session._children !== undefined) {
    for (const child of [...session._children]) {
      if (parent !== kernel) kernel._dispatch(parent, kernel, "_child", ET_CHILD, ["gain", child], undefined);
      kernel._dispatch(child, kernel, "_parent", ET_PARENT, [session, parent], undefined);
    }
  }
  const ret = kernel._dispatch(session, kernel._active, "_stop", ET_STOP, [], undefined);
  if (parent !== kernel) kernel._dispatch(parent, kernel, "_child", ET_CHILD, ["lose", session, ret], undefined);
  freeSession(kernel, session as Session);
  kernel._mark(parent);
}

/** Release everything a stopped session held (POE's `_data_ses_free`). */
function freeSession(kernel: Kernel, session: Session): void {
  const parent = session._parent as Actor;
  parent._children?.delete(session);
  if (session._children !== undefined) {
    for (const child of session._children) {
      child._parent = parent;
      parent._addChild(child);
    }
    session._children = undefined;
  }
  kernel._sessions.delete(session._id as number);
  signals.clearSession(kernel, session);
  kernel._aliasTable.clearSession(session);
  if (session._extrefs !== undefined) {
    kernel._extrefsTotal -= session._extrefs.size;
    session._extrefs = undefined;
  }
  kernel._handlesTotal -= session._handles;
  session._handles = 0;
  if (session._toCount > 0 || session._fromCount > 0) clearEvents(kernel, session);
  session._lifecycle = STOPPED;
  if (session._wheels !== undefined) {
    const wheels = session._wheels;
    session._wheels = undefined;
    for (const wheel of wheels) wheel[DESTROY]();
  }
  releaseHeap(session._heap);
}

/** Drop every queued event addressed to or sent by `session`. */
function clearEvents(kernel: Kernel, session: Actor): void {
  const doomed = [];
  for (const ev of kernel._fifo.live()) if (ev.dest === session || ev.sender === session) doomed.push(ev);
  for (const ev of kernel._timers.live()) if (ev.dest === session || ev.sender === session) doomed.push(ev);
  for (const ev of doomed) kernel._unqueue(ev);
  session._timersByName = undefined;
}

/** Every session, parents before children (breadth-first from `root`). */
export function descendants(root: Actor): Actor[] {
  const list: Actor[] = [root];
  for (let i = 0; i < list.length; i++) {
    const children = (list[i] as Actor)._children;
    if (children !== undefined) for (const c of children) list.push(c);
  }
  return list;
}

/** Kernel->stop(): every session, children first. */
export function stopAll(kernel: Kernel): void {
  const order = descendants(kernel);
  for (let i = order.length - 1; i >= 1; i--) stopSession(kernel, order[i] as Actor);
  kernel._sweep();
  kernel._active = kernel;
  kernel._activeEvent = undefined;
}

/** The kernel stopped: clear every table, warn about leaks as POE does. */
export function finalize(kernel: Kernel): void {
  kernel._fifo.clear();
  kernel._timers.clear();
  kernel._gcQueued = 0;
  kernel._markedList = [];
  for (const leaked of kernel._aliasTable.finalize()) console.warn(`!!! Leaked alias: ${leaked}`);
  signals.finalize(kernel);
  kernel._sessions.clear();
  kernel._children = undefined;
  kernel._handlesTotal = 0;
  kernel._extrefsTotal = 0;
  kernel._lifecycle = STOPPED;
  kernel._active = kernel;
  kernel._activeEvent = undefined;
}

/** detach_myself(): 1, or undefined with errno EPERM when already the kernel's child. */
export function detachMyself(kernel: Kernel): number | undefined {
  const session = kernel._active;
  const parent = session._parent;
  if (session === kernel || parent === undefined || parent === kernel) {
    kernel.errno = EPERM;
    return undefined;
  }
  if (!starting.includes(session)) kernel._dispatch(parent, kernel, "_child", ET_CHILD, ["lose", session, undefined], undefined);
  kernel._dispatch(session, kernel, "_parent", ET_PARENT, [parent, kernel], undefined);
  move(kernel, session, parent);
  return 1;
}

/** detach_child(child): 1, or undefined with errno ESRCH / EPERM. */
export function detachChild(kernel: Kernel, target: unknown): number | undefined {
  const child = kernel._resolve(target);
  if (child === undefined || child === kernel) {
    kernel.errno = ESRCH;
    return undefined;
  }
  const parent = kernel._active;
  if (child._parent !== parent) {
    kernel.errno = EPERM;
    return undefined;
  }
  kernel._dispatch(parent, kernel, "_child", ET_CHILD, ["lose", child, undefined], undefined);
  kernel._dispatch(child, kernel, "_parent", ET_PARENT, [parent, kernel], undefined);
  move(kernel, child, parent);
  return 1;
}

function move(kernel: Kernel, session: Actor, oldParent: Actor): void {
  oldParent._children?.delete(session);
  session._parent = kernel;
  kernel._addChild(session);
  kernel._mark(oldParent);
}

void STOPPING;
