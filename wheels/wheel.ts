/**
 * What every wheel shares: POE::Wheel's process-wide ID allocator, the
 * "created inside a session" rule, and parameter checks with POE's carp
 * and croak texts.
 */
import { poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";

let currentId = 0;
const activeIds = new Set<number>();

/**
 * A new wheel ID: one counter for every wheel class, from 1, skipping IDs
 * still in use. Ports POE::Wheel::allocate_wheel_id.
 */
export function allocateWheelId(): number {
  do currentId += 1;
  while (activeIds.has(currentId));
  activeIds.add(currentId);
  return currentId;
}

/** Give an ID back. Ports POE::Wheel::free_wheel_id. */
export function freeWheelId(id: number): void {
  activeIds.delete(id);
}

/** Ports POE::Wheel::_test_set_wheel_id: where the next allocation continues from. */
export function _testSetWheelId(id: number): void {
  currentId = id;
}

/**
 * The session the wheel will belong to: the one whose handler is running.
 * @throws Error naming `className` when called outside a session's handler.
 */
export function owningSession(className: string): Session {
  const session = poeKernel.get_active_session();
  if (session === (poeKernel as unknown)) {
    throw new Error(`${className} must be created inside a session's event handler (no session is active)`);
  }
  return session as Session;
}

/** The parameter bag: one object, as POE's even-length key/value list. */
export function readParams<T extends object>(className: string, params: unknown): T {
  // POE's wheels croak when given the kernel first (an old calling convention).
  if (params === (poeKernel as unknown)) throw new Error("wheels no longer require a kernel reference as their first parameter");
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`${className} requires its parameters as one object, got ${describe(params)}`);
  }
  return params as T;
}

/** Perl's `defined`: neither undefined nor null. */
export function defined<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}

/**
 * Warn once about parameters the wheel does not know, names sorted, as
 * POE's carp does ("unknown parameters in POE::Wheel::ReadWrite constructor call: ...").
 */
export function warnUnknown(prefix: string, params: object, known: readonly string[]): void {
  // No loop of its own unless a key is unknown: every connection's wheels pass here.
  const keys = Object.keys(params);
  if (keys.every(isIn, known)) return;
  console.warn(`${prefix}${keys.filter((key) => !known.includes(key)).sort().join(", ")}`);
}

function isIn(this: readonly string[], key: string): boolean {
  return this.includes(key);
}

/** A short printable description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (value !== null && typeof value === "object") return `object ${value.constructor?.name ?? "Object"}`;
  return String(value);
}
