/**
 * The kernel's clock. Times are epoch seconds (floats), as POE's
 * `Time::HiRes::time`. Tests install a {@link VirtualClock} so no test sleeps.
 */
import { performance } from "node:perf_hooks";

/** A source of time for the kernel. */
export interface Clock {
  /** Current time in epoch seconds. */
  now(): number;
  /**
   * True for a clock that only moves when told to. The kernel then never
   * arms a Node timer: when it would wait for a timer it advances the clock
   * to that timer's due time instead (after giving pending I/O one turn).
   */
  readonly virtual: boolean;
  /** A virtual clock's jump to `epoch`; the kernel calls it to reach the next timer. */
  set?(epoch: number): void;
}

const ORIGIN_S = performance.timeOrigin / 1000;

/** The wall clock: `performance.timeOrigin + performance.now()`, in seconds. */
export const realClock: Clock = {
  now: () => ORIGIN_S + performance.now() / 1000,
  virtual: false,
};

/**
 * A clock that only moves when advanced, like Twisted's `task.Clock`.
 *
 * @example
 * const clock = new VirtualClock(1000);
 * POE.Kernel.set_clock(clock);       // before creating sessions
 * // delays now fire in virtual time: run() finishes without sleeping.
 */
export class VirtualClock implements Clock {
  #now: number;
  readonly virtual = true;

  /** @param start epoch seconds the clock starts at (default 1_000_000_000). */
  constructor(start = 1_000_000_000) {
    if (typeof start !== "number" || !Number.isFinite(start)) {
      throw new TypeError(`VirtualClock: start must be a finite number, got ${String(start)}`);
    }
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Move the clock forward by `seconds` (>= 0). */
  advance(seconds: number): void {
    if (typeof seconds !== "number" || !(seconds >= 0)) {
      throw new TypeError(`VirtualClock.advance: seconds must be a number >= 0, got ${String(seconds)}`);
    }
    this.#now += seconds;
  }

  /** Set the clock to `epoch`, which may not be in its past. */
  set(epoch: number): void {
    if (typeof epoch !== "number" || !(epoch >= this.#now)) {
      throw new TypeError(`VirtualClock.set: epoch must be a number >= now (${this.#now}), got ${String(epoch)}`);
    }
    this.#now = epoch;
  }
}
