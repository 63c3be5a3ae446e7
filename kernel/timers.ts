/**
 * Timers: POE's alarm and delay families. Ports `Kernel.pm:1820-2170` and
 * `Resource/Events.pm`. Every timer is owned by, addressed to and sent from
 * the active session; it lives in the kernel's timer heap (O(log n) to add
 * and to remove by ID) and in its session's by-name index (so `delay(name)`
 * clears without scanning the queue, which POE does).
 */
import type { Actor } from "./actor.js";
import { EINVAL, EPERM, ESRCH, ET_ALARM } from "./constants.js";
import type { QueuedEvent } from "./events.js";
import type { KernelBase as Kernel } from "./kernel-base.js";
import { describe } from "./util.js";

export function indexByName(dest: Actor, ev: QueuedEvent): void {
  const byName = (dest._timersByName ??= new Map());
  let set = byName.get(ev.name);
  if (set === undefined) byName.set(ev.name, (set = new Set()));
  set.add(ev);
}

export function unindexByName(ev: QueuedEvent): void {
  const byName = ev.dest._timersByName;
  const set = byName?.get(ev.name);
  if (set === undefined) return;
  set.delete(ev);
  if (set.size === 0) byName?.delete(ev.name);
}

/** Remove every timer of the active session named `name`. */
export function clearByName(kernel: Kernel, name: string): void {
  const set = kernel._active._timersByName?.get(name);
  if (set === undefined) return;
  for (const ev of [...set]) kernel._unqueue(ev);
}

/** Check a timer call's name: undefined → false (EINVAL), wrong type → throw. */
export function checkName(method: string, name: unknown): name is string {
  if (name === undefined || name === null) return false;
  if (typeof name !== "string") throw new TypeError(`POE::Kernel->${method}: event name must be a string, got ${describe(name)}`);
  return true;
}

/** Check a time or delay: undefined → false (EINVAL), non-number → throw. */
export function checkTime(method: string, param: string, value: unknown): value is number {
  if (value === undefined || value === null) return false;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`POE::Kernel->${method}: ${param} must be a number of seconds, got ${describe(value)}`);
  }
  return true;
}

/** Add a timer for the active session. */
export function add(kernel: Kernel, name: string, due: number, wall: number, args: unknown[]): QueuedEvent {
  return kernel._enqueueTimer(kernel._active, name, due, wall, ET_ALARM, args);
}

/** Find the active session's timer `id`, or set errno and return undefined. */
export function findOwn(kernel: Kernel, method: string, id: unknown): QueuedEvent | undefined {
  if (id === undefined || id === null) {
    kernel.errno = EINVAL;
    return undefined;
  }
  if (typeof id !== "number") throw new TypeError(`POE::Kernel->${method}: alarm id must be a number, got ${describe(id)}`);
  const ev = kernel._timers.byId(id);
  if (ev === undefined) {
    kernel.errno = ESRCH;
    return undefined;
  }
  if (ev.dest !== kernel._active) {
    kernel.errno = EPERM;
    return undefined;
  }
  return ev;
}

/**
 * alarm_adjust / delay_adjust: move the active session's timer `id` to the
 * due time `due(ev)` computes; returns it, or undefined with errno set.
 */
export function adjust(
  kernel: Kernel,
  method: string,
  param: string,
  id: unknown,
  value: unknown,
  due: (ev: QueuedEvent) => number,
): number | undefined {
  const ev = findOwn(kernel, method, id);
  if (ev === undefined) return undefined;
  if (!checkTime(method, param, value)) {
    kernel.errno = EINVAL;
    return undefined;
  }
  kernel._timers.reprioritize(ev, due(ev));
  ev.wall = ev.priority;
  kernel._wake();
  return ev.priority;
}

/** alarm_remove_all(): `[name, time, ...args]` for each of the active session's timers, in queue order. */
export function removeAll(kernel: Kernel): unknown[][] {
  const byName = kernel._active._timersByName;
  if (byName === undefined) return [];
  const all: QueuedEvent[] = [];
  for (const set of byName.values()) all.push(...set);
  all.sort((a, b) => a.priority - b.priority || a.id - b.id);
  for (const ev of all) kernel._unqueue(ev);
  return all.map((ev) => [ev.name, ev.wall, ...ev.args]);
}
