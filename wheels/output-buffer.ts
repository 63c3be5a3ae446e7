/**
 * The output side of POE::Driver::SysRW for a Node stream: chunks a
 * filter produced, counted in octets and messages until the stream has
 * taken them.
 *
 *   put() ──► pending ──write()──► in flight ──write callback──► gone
 *             └──────────── octets / messages count both ────────┘
 *
 * Chunks are not written when put: write() hands everything pending to the
 * stream in one `stream.write()` (strings joined, otherwise one Buffer),
 * and they stay counted until the stream has taken them (its callback, or
 * at once), so get_driver_out_octets() is what the peer has not yet been
 * given (POE: what sysWrite has not taken).
 */
import { Buffer } from "node:buffer";
import type { Writable } from "node:stream";
import { poeKernel } from "../kernel/index.js";

/** The marker written behind a write the stream did not take at once. */
const EMPTY = Buffer.alloc(0);

/** Called with the error of a failed write, or undefined when a batch went out. */
export type WrittenCallback = (error: Error | null | undefined) => void;

/** Ports the output half of POE::Driver::SysRW. */
export class OutputBuffer {
  #pending: Array<string | Buffer> = [];
  #pendingOctets = 0;
  #allStrings = true;
  #flightOctets = 0;
  #flightMessages = 0;
  // Sizes of the batches in flight, oldest first: [octets, messages, ...].
  #batches: number[] = [];

  /** Octets put and not yet taken by the stream. Ports SysRW's `put` return value. */
  get octets(): number {
    return this.#pendingOctets + this.#flightOctets;
  }

  /** Chunks put and not yet taken. Ports SysRW::get_out_messages_buffered. */
  get messages(): number {
    return this.#pending.length + this.#flightMessages;
  }

  /** True when something is waiting for write(). */
  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Queue non-empty chunks; returns the octets now buffered. Ports SysRW::put. */
  put(chunks: readonly unknown[]): number {
    for (const chunk of chunks) {
      if (typeof chunk === "string") {
        this.putString(chunk);
      } else if (chunk instanceof Uint8Array) {
        if (chunk.length === 0) continue;
        this.#pending.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        this.#pendingOctets += chunk.length;
        this.#allStrings = false;
      } else if (chunk !== undefined && chunk !== null) {
        this.putString(String(chunk));
      }
    }
    return this.octets;
  }

  /** put([chunk]) of one string. */
  putString(chunk: string): number {
    if (chunk.length > 0) {
      this.#pending.push(chunk);
      this.#pendingOctets += Buffer.byteLength(chunk, "utf8");
    }
    return this.octets;
  }

  /**
   * Hand everything pending to `stream` in one write; `done` runs when the
   * stream has taken it. With `atOnce`, a write the stream takes whole
   * before write() returns is done then: write() returns true and `done`
   * is not called (the wheel completes the batch itself). Node spends no
   * tick on a write without a callback that completes at once; one that
   * does not gets an empty marker write whose callback runs once it, and
   * everything before it, is taken.
   */
  write(stream: Writable, done: WrittenCallback, atOnce = false): boolean {
    const pending = this.#pending;
    if (pending.length === 0) return false;
    const data = pending.length === 1 ? (pending[0] as string | Buffer) : this.#allStrings ? pending.join("") : concat(pending);
    this.#batches.push(this.#pendingOctets, pending.length);
    this.#flightOctets += this.#pendingOctets;
    this.#flightMessages += pending.length;
    // One pending array for the wheel's life. A one-chunk batch (the usual
    // one) is popped: a store to an array's length runs in V8's runtime.
    if (pending.length === 1) pending.pop();
    else pending.length = 0;
    this.#pendingOctets = 0;
    this.#allStrings = true;
    if (!atOnce || !stream.writable || stream.writableLength !== 0) {
      stream.write(data, done);
      return false;
    }
    stream.write(data);
    if (stream.writable && stream.writableLength === 0) return true;
    const error = stream.errored;
    if (error) poeKernel._tick(done, error);
    else stream.write(EMPTY, done);
    return false;
  }

  /** The oldest batch in flight was taken (or failed): stop counting it. */
  written(): void {
    const octets = this.#batches.shift() ?? 0;
    const messages = this.#batches.shift() ?? 0;
    this.#flightOctets -= octets;
    this.#flightMessages -= messages;
  }

  /** Forget everything (the wheel is gone). */
  clear(): void {
    this.#pending.length = 0;
    this.#pendingOctets = 0;
    this.#allStrings = true;
    this.#flightOctets = 0;
    this.#flightMessages = 0;
    this.#batches.length = 0;
  }
}

function concat(chunks: ReadonlyArray<string | Buffer>): Buffer {
  return Buffer.concat(chunks.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk)));
}
