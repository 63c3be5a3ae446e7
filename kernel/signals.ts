/**
 * Signals: watchers, delivery through the session tree, terminal and
 * nonmaskable classes, DIE, and the bridge from OS signals. Ports
 * lib/POE/Resource/Signals.pm and `Kernel.pm:886-1005`.
 *
 * Delivery of signal S to target T:
 *   touched = T and its descendants, breadth-first (DIE: T's ancestors first)
 *   watchers run in reverse order of `touched` (deepest first, T after its
 *   descendants), each with ARG0 = S, then signal() args, then sig() args
 *   terminal and not sig_handled(), or nonmaskable: stop `touched`, reverse order
 */
import { Actor, ALIVE } from "./actor.js";
import { ET_SIGDIE, ET_SIGNAL, ET_STOP } from "./constants.js";
import type { QueuedEvent } from "./events.js";
import type { KernelBase as Kernel } from "./kernel-base.js";
import { descendants, stopSession } from "./lifecycle.js";

const TERMINAL = new Set(["QUIT", "INT", "KILL", "TERM", "HUP", "IDLE", "DIE"]);
const NONMASKABLE = new Set(["ZOMBIE", "UIDESTROY"]);
/** Signals bridged from `process` while some session watches them. */
const OS_SIGNALS = new Set(["INT", "TERM", "HUP", "USR1", "USR2", "QUIT", "WINCH", "CONT", "TSTP", "TTIN", "TTOU", "ALRM", "PIPE", "BREAK"]);

/** Per-name watcher counts and the process listeners bridging OS signals. */
const watchCounts = new Map<string, number>();
const bridges = new Map<string, () => void>();
/** Error thrown by a DIE watcher during the current DIE delivery. */
let dieWatcherError: { value: unknown } | undefined;

/** Queue signal `name` for `dest` (POE's signal(), FIFO like a post). */
export function enqueueSignal(kernel: Kernel, dest: Actor, name: string, args: unknown[]): void {
  kernel._enqueue(dest, kernel._active, name, ET_SIGNAL, args);
}

/** sig(name, event?, ...args) for the active session. */
export function watch(kernel: Kernel, name: string, event: string | undefined, args: unknown[]): void {
  const session = kernel._active;
  const table = (session._signals ??= new Map());
  const had = table.has(name);
  if (event === undefined || event === null) {
    if (!had) return;
    table.delete(name);
    countWatch(kernel, name, -1);
    return;
  }
  table.set(name, { event, args });
  if (!had) countWatch(kernel, name, +1);
}

export function clearSession(kernel: Kernel, session: Actor): void {
  if (session._signals === undefined) return;
  for (const name of session._signals.keys()) countWatch(kernel, name, -1);
  session._signals = undefined;
}

export function finalize(kernel: Kernel): void {
  for (const [name, listener] of bridges) process.off(`SIG${name}`, listener);
  bridges.clear();
  watchCounts.clear();
  kernel._signals = undefined;
}

function countWatch(kernel: Kernel, name: string, delta: number): void {
  const n = (watchCounts.get(name) ?? 0) + delta;
  if (n > 0) watchCounts.set(name, n);
  else watchCounts.delete(name);
  if (!OS_SIGNALS.has(name)) return;
  if (n > 0 && !bridges.has(name)) {
    const listener = () => {
      kernel._enqueue(kernel, kernel, name, ET_SIGNAL, []);
      kernel._wake();
    };
    bridges.set(name, listener);
    process.on(`SIG${name}` as NodeJS.Signals, listener);
  } else if (n <= 0 && bridges.has(name)) {
    process.off(`SIG${name}`, bridges.get(name) as () => void);
    bridges.delete(name);
  }
}

/** Deliver a dequeued signal event. */
export function dispatchSignal(kernel: Kernel, ev: QueuedEvent): void {
  const name = ev.name;
  const die = name === "DIE";
  const touched = touchedBy(kernel, ev.dest, die);
  const savedHandled = kernel._sigHandled;
  kernel._sigHandled = 0;
  if (die) dieWatcherError = undefined;
  for (let i = touched.length - 1; i >= 0; i--) {
    const session = touched[i] as Actor;
    if (session === kernel) {
      if (name === "IDLE") kernelIdleWatcher(kernel);
      continue;
    }
    const w = session._lifecycle === ALIVE ? session._signals?.get(name) : undefined;
    if (w === undefined) continue;
    kernel._dispatch(session, kernel, w.event, die ? ET_SIGDIE : ET_SIGNAL, [name, ...ev.args, ...w.args], undefined);
  }
  const handled = kernel._sigHandled > 0;
  kernel._sigHandled = savedHandled;
  if ((TERMINAL.has(name) && !handled) || NONMASKABLE.has(name)) {
    for (let i = touched.length - 1; i >= 0; i--) stopSession(kernel, touched[i] as Actor);
  }
  if (die) settleDie(kernel, ev, handled);
}

function settleDie(kernel: Kernel, ev: QueuedEvent, handled: boolean): void {
  const watcherError = dieWatcherError;
  dieWatcherError = undefined;
  if (handled) {
    if (watcherError !== undefined && kernel._exception === undefined) kernel._exception = watcherError;
    return;
  }
  const original = (ev.args[0] as { error_str?: unknown } | undefined)?.error_str;
  if (kernel._exception !== undefined) return;
  kernel._exception = {
    value:
      watcherError === undefined
        ? original
        : `${String(original)}Additional error thrown in handler for previous error:\n${String(watcherError.value)}`,
  };
}

function touchedBy(kernel: Kernel, target: Actor, die: boolean): Actor[] {
  const list = descendants(target);
  if (!die) return list;
  const ancestors: Actor[] = [];
  for (let p = target._parent; p !== undefined && p !== kernel; p = p._parent) ancestors.unshift(p);
  return ancestors.concat(list);
}

/** The kernel's own IDLE watcher: still nothing to do → ZOMBIE (`Kernel.pm:1420-1452`). */
function kernelIdleWatcher(kernel: Kernel): void {
  if (kernel._isIdle()) kernel._enqueue(kernel, kernel, "ZOMBIE", ET_SIGNAL, []);
}

/** A handler threw: queue DIE to its session, or make it the kernel exception. */
export function handlerDied(
  kernel: Kernel,
  dest: Actor,
  sender: Actor,
  event: string,
  type: number,
  callerState: string | undefined,
  error: unknown,
): void {
  if (type & ET_SIGDIE) {
    dieWatcherError ??= { value: error };
    return;
  }
  if (type & ET_STOP || dest === kernel) {
    kernel._exception ??= { value: error };
    return;
  }
  const info = {
    source_session: sender,
    dest_session: dest,
    event,
    file: undefined,
    line: undefined,
    from_state: callerState,
    error_str: error,
  };
  kernel._enqueue(dest, kernel, "DIE", ET_SIGNAL, [info]);
}
