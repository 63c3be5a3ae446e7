/**
 * ReadWrite's high- and low-water state (POE: WATERMARK_WRITE_* slots).
 *
 * POE's put() sets the high-water state to `octets >= HighMark` without
 * firing HighEvent, and its write handler fires HighEvent only when the
 * state was not already set, so HighEvent practically never fires (its
 * TODO says so). Here entering high water in put() arms one HighEvent; the
 * write callback clears the state and fires LowEvent at or below LowMark.
 */
import { highMarkProblem, lowMarkProblem } from "./read-write-params.js";

/** The water-mark state of one wheel. */
export class WaterMarks {
  #high: number | undefined;
  #low: number | undefined;
  #inHighWater = false;
  #announce = false;

  constructor(high: number | undefined, low: number | undefined) {
    this.#high = high;
    this.#low = low;
  }

  /** True when a HighMark is set (so HighEvent may be renamed). */
  get hasHigh(): boolean {
    return this.#high !== undefined && this.#high !== null;
  }

  /** True in high water: a write may bring LowEvent. */
  get inHighWater(): boolean {
    return this.#inHighWater;
  }

  /** True when a LowMark is set (so LowEvent may be renamed). */
  get hasLow(): boolean {
    return this.#low !== undefined && this.#low !== null;
  }

  /** After put(): the high-water state, POE's put() return value. Entering it arms HighEvent. */
  afterPut(octets: number): boolean {
    const high = this.#high !== undefined && this.#high > 0 && octets >= this.#high;
    if (high && !this.#inHighWater) this.#announce = true;
    this.#inHighWater = high;
    return high;
  }

  /** True once after put() entered high water, if it still holds. */
  takeHighEvent(): boolean {
    const fire = this.#announce && this.#inHighWater;
    this.#announce = false;
    return fire;
  }

  /** After a write completed: true when the buffer fell to LowMark from high water (LowEvent is due). */
  afterWrite(octets: number): boolean {
    if (!this.#inHighWater || octets > (this.#low ?? 0)) return false;
    this.#inHighWater = false;
    return true;
  }

  /** Ports set_high_mark's checks; warns and ignores a bad mark. */
  setHigh(mark: number): void {
    const problem = highMarkProblem(this.#high, this.#low, mark);
    if (problem !== undefined) console.warn(problem);
    else this.#high = mark;
  }

  /** Ports set_low_mark's checks; warns and ignores a bad mark. */
  setLow(mark: number): void {
    const problem = lowMarkProblem(this.#high, this.#low, mark);
    if (problem !== undefined) console.warn(problem);
    else this.#low = mark;
  }
}
