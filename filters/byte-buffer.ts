// The framing buffer of the byte filters (Line, Block, Reference): bytes
// received but not yet parsed. Internal; not exported by filters/index.ts.
//
// POE keeps a Perl string and does `.=` and `substr(..., 0, n) = ''`; done
// naively in JS (Buffer.concat per chunk, slice per record) that is quadratic.
// Instead:
//
//   - a chunk arriving while nothing is pending is adopted as the buffer
//     itself, without a copy (the usual case for whole-line socket reads);
//   - otherwise bytes are appended into spare capacity, growing by doubling;
//   - consuming a record only moves #start;
//   - an owned backing Buffer of up to 64 KiB that nothing was lent from
//     (take(), view()) is reused once emptied, or kept as #spare while a chunk
//     is adopted, so a stream of small chunks does not allocate one per line
//     (a larger one, grown for a long record, is let go of).
//
// Memory that has been handed out (take() returns views) is never written
// again: appends only write past #end, and growing always allocates a new
// backing Buffer instead of moving bytes within the old one.

import { Buffer } from "node:buffer";

const MIN_CAPACITY = 4096;
const REUSE_MAX = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export class ByteBuffer {
  #bytes: Buffer = EMPTY;
  #start = 0;
  #end = 0;
  // False while #bytes is an adopted chunk, which we must never write into.
  #owned = false;
  // True once take() or view() handed out a view of #bytes: it is never written again.
  #lent = false;
  // An owned Buffer nothing was lent from, free for the next #grow.
  #spare: Buffer | undefined;

  /** Bytes pending. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** The backing buffer; pending bytes are `bytes[start, start + length)`. */
  get bytes(): Buffer {
    return this.#bytes;
  }

  /** Offset of the first pending byte in `bytes`. */
  get start(): number {
    return this.#start;
  }

  /**
   * Appends `chunks` unless the buffer would then hold more than `limit`
   * bytes (a filter's MaxBuffer). Over the limit nothing is appended and the
   * size it would have reached is returned; otherwise undefined.
   */
  appendWithin(chunks: readonly Buffer[], limit: number): number | undefined {
    const total = totalLength(chunks);
    const size = this.length + total;
    if (size > limit) return size;
    this.append(chunks, total);
    return undefined;
  }

  /** Appends `chunks` (`total` bytes in all). */
  append(chunks: readonly Buffer[], total: number): void {
    if (total === 0) return;
    const pending = this.#end - this.#start;
    if (pending === 0 && chunks.length === 1) {
      this.#keepSpare();
      this.#bytes = chunks[0] as Buffer;
      this.#start = 0;
      this.#end = this.#bytes.length;
      this.#owned = false;
      return;
    }
    if (!this.#owned || this.#bytes.length - this.#end < total) this.#grow(pending + total);
    for (const chunk of chunks) {
      chunk.copy(this.#bytes, this.#end);
      this.#end += chunk.length;
    }
  }

  /** The byte at `index` (relative to the first pending byte). */
  at(index: number): number {
    return this.#bytes[this.#start + index] as number;
  }

  /** Relative index of `value` at or after relative `from`, wholly within the pending bytes, or -1. */
  indexOf(value: number | Buffer, from: number): number {
    const found = this.#bytes.indexOf(value, this.#start + from);
    // A match running past #end would be completed by bytes that are not pending.
    const end = found + (typeof value === "number" ? 1 : value.length);
    return found === -1 || end > this.#end ? -1 : found - this.#start;
  }

  /** Removes and returns the first `count` pending bytes, as a view (no copy). */
  take(count: number): Buffer {
    const view = this.#bytes.subarray(this.#start, this.#start + count);
    this.#lent = true;
    this.skip(count);
    return view;
  }

  /** Drops the first `count` pending bytes. */
  skip(count: number): void {
    this.#start += count;
    if (this.#start < this.#end) return;
    if (this.#reusable()) {
      this.#start = 0;
      this.#end = 0;
    } else this.clear();
  }

  /** Decodes pending bytes `[from, to)` (relative). */
  text(encoding: BufferEncoding, from: number, to: number): string {
    return this.#bytes.toString(encoding, this.#start + from, this.#start + to);
  }

  /** A view of every pending byte (its memory is then never reused). */
  view(): Buffer {
    this.#lent = true;
    return this.#bytes.subarray(this.#start, this.#end);
  }

  /** Drops everything. */
  clear(): void {
    this.#keepSpare();
    this.#bytes = EMPTY;
    this.#start = 0;
    this.#end = 0;
    this.#owned = false;
  }

  #grow(needed: number): void {
    const spare = this.#spare;
    this.#spare = undefined;
    const next = spare !== undefined && spare.length >= needed ? spare : Buffer.allocUnsafe(Math.max(MIN_CAPACITY, needed * 2));
    this.#bytes.copy(next, 0, this.#start, this.#end);
    this.#end -= this.#start;
    this.#start = 0;
    this.#bytes = next;
    this.#owned = true;
    this.#lent = false;
  }

  // The owned Buffer is being let go of: keep it for reuse if it may be.
  #keepSpare(): void {
    if (this.#reusable()) this.#spare = this.#bytes;
    this.#owned = false;
  }

  #reusable(): boolean {
    return this.#owned && !this.#lent && this.#bytes.length <= REUSE_MAX;
  }
}

/** Total byte length of `chunks`. */
export function totalLength(chunks: readonly Buffer[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  return total;
}
