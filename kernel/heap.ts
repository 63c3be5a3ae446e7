/**
 * Session heaps that destroy what they drop, as Perl does.
 *
 * In Perl, `delete $heap->{server}` (or overwriting it) drops the last
 * reference to a wheel and its DESTROY closes the socket. JavaScript has no
 * destructor, so a plain-object heap is wrapped in a Proxy whose `set` and
 * `deleteProperty` traps call `[DESTROY]()` on a value that leaves the heap,
 * unless another key of the same heap still holds it. Heaps that are class
 * instances or arrays are left unwrapped (a Proxy would break their private
 * fields); for them, call `value[DESTROY]()` yourself.
 */
import { DESTROY } from "./constants.js";

/** True for values with a poe-ts destructor. */
export function isDestroyable(value: unknown): value is { [DESTROY](): void } {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as any)[DESTROY] === "function";
}

const handler: ProxyHandler<Record<PropertyKey, unknown>> = {
  set(target, key, value) {
    const old = target[key as string];
    target[key as string] = value;
    if (old !== value && isDestroyable(old)) dropped(target, old);
    return true;
  },
  deleteProperty(target, key) {
    const old = target[key as string];
    const keep = !isDestroyable(old) || heldElsewhere(target, key, old);
    const ok = delete target[key as string];
    if (!keep) old[DESTROY]();
    return ok;
  },
};

// Each wrapped heap's object: releaseHeap() reads it directly, where
// Object.keys() through the Proxy asks for every key's descriptor.
const targets = new WeakMap<object, Record<string, unknown>>();

/** Wrap a plain-object heap; return anything else unchanged. */
export function wrapHeap<T>(heap: T): T {
  if (heap === null || typeof heap !== "object") return heap;
  const proto = Object.getPrototypeOf(heap);
  if (proto !== Object.prototype && proto !== null) return heap;
  const proxy = new Proxy(heap as Record<PropertyKey, unknown>, handler);
  targets.set(proxy, heap as Record<string, unknown>);
  return proxy as T;
}

/** Destroy every destroyable value a heap holds (its session has stopped). */
export function releaseHeap(heap: unknown): void {
  if (heap === null || typeof heap !== "object") return;
  let target = targets.get(heap);
  if (target === undefined) {
    const proto = Object.getPrototypeOf(heap);
    if (proto !== Object.prototype && proto !== null) return;
    target = heap as Record<string, unknown>;
  }
  // Most heaps hold nothing destroyable by the time their session stops;
  // finding that out without a loop here keeps this small and cold.
  if (!Object.values(target).some(isDestroyable)) return;
  for (const key of Object.keys(target)) {
    const value = target[key];
    if (isDestroyable(value)) value[DESTROY]();
  }
}

/**
 * `heap[key] = value` with the heap Proxy's effect on any heap: the value
 * it replaces is destroyed unless another key still holds it. Components
 * store their wheels with it, so that a heap without a Proxy (a class
 * instance) and the object behind a Proxy, which a component may hold,
 * behave as a wrapped heap does. {@link dropped}'s test is written out
 * here rather than called: calling it from these helpers too makes it hot
 * again, compiled with both wheels' teardown inlined (callgrind, the
 * many-clients probe, 3 runs each: 2.856–2.873 G instructions against
 * 2.839–2.855 G).
 * Internal.
 */
export function storeOwned(heap: Record<string, unknown>, key: string, value: unknown): void {
  const old = heap[key];
  heap[key] = value;
  if (old !== value && isDestroyable(old) && !targets.has(heap) && !Object.values(heap).includes(old)) old[DESTROY]();
}

/** `delete heap[key]` with the heap Proxy's effect on any heap (see {@link storeOwned}). Internal. */
export function deleteOwned(heap: Record<string, unknown>, key: string): void {
  const old = heap[key];
  const keep = !isDestroyable(old) || targets.has(heap) || heldElsewhere(heap, key, old);
  delete heap[key];
  if (!keep) old[DESTROY]();
}

/**
 * Whether a key of `target` other than `key` holds `old`, asked before
 * `key` is deleted: deleting any key but the last one added turns the
 * object into a dictionary, whose Object.values() V8 runs in its runtime
 * (a client's `delete heap.server` at every disconnect).
 */
function heldElsewhere(target: object, key: PropertyKey, old: unknown): boolean {
  const values = Object.values(target);
  const first = values.indexOf(old);
  // An own enumerable string `key` puts `old` among the values itself: another holder makes a second.
  return typeof key === "string" && propertyIsEnumerable.call(target, key) ? values.lastIndexOf(old) !== first : first >= 0;
}

const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

// The set trap's test. Object.values().includes() rather than a loop over
// the keys: this runs for each wheel replaced through the Proxy, per
// connection in sessions that keep theirs in a wrapped heap (Server.TCP's
// connections, whose storeOwned calls reach the trap; a handler's own
// SocketFactory-then-ReadWrite), and a loop's iterations count towards
// V8's tier-up, which then compiles this with both DESTROYs inlined, and
// again once it has seen the second.
function dropped(target: Record<PropertyKey, unknown>, old: { [DESTROY](): void }): void {
  if (!Object.values(target).includes(old)) old[DESTROY]();
}
