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
  // The chunks waiting for write(): the first in #first, the others in
  // #rest, made for a wheel's first batch of two. A batch is one chunk far
  // more often, and V8 gives an array 17 slots on its first push: two such
  // arrays were about 300 bytes of every connection that had written.
  #first: string | Buffer | undefined;
  #rest: Array<string | Buffer> | undefined;
  #pendingOctets = 0;
  #allStrings = true;
  #flightOctets = 0;
  #flightMessages = 0;
  // The batches in flight: how many, the oldest's size, and the sizes of
  // the others, oldest first ([octets, messages, ...], made for a second).
  #batchCount = 0;
  #oldestOctets = 0;
  #oldestMessages = 0;
  #later: number[] | undefined;

  constructor() {
    // Assigned here, not by initializers: they change when a wheel first
    // writes two chunks in one batch (see Actor's constructor).
    this.#first = undefined;
    this.#rest = undefined;
    this.#later = undefined;
  }

  /** Octets put and not yet taken by the stream. Ports SysRW's `put` return value. */
  get octets(): number {
    return this.#pendingOctets + this.#flightOctets;
  }

  /** Chunks put and not yet taken. Ports SysRW::get_out_messages_buffered. */
  get messages(): number {
    return this.#pendingCount() + this.#flightMessages;
  }

  /** True when something is waiting for write(). */
  get hasPending(): boolean {
    return this.#first !== undefined;
  }

  /** Queue non-empty chunks; returns the octets now buffered. Ports SysRW::put. */
  put(chunks: readonly unknown[]): number {
    for (const chunk of chunks) {
      if (typeof chunk === "string") {
        this.putString(chunk);
      } else if (chunk instanceof Uint8Array) {
        if (chunk.length === 0) continue;
        this.#push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
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
      this.#push(chunk);
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
    const first = this.#first;
    if (first === undefined) return false;
    const rest = this.#rest;
    const count = this.#pendingCount();
    let data = first;
    if (count > 1) {
      const all = [first, ...(rest as Array<string | Buffer>)];
      data = this.#allStrings ? all.join("") : concat(all);
      // The same array for the wheel's life (a store to its length runs in V8's runtime).
      (rest as Array<string | Buffer>).length = 0;
    }
    this.#first = undefined;
    this.#addBatch(this.#pendingOctets, count);
    this.#flightOctets += this.#pendingOctets;
    this.#flightMessages += count;
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
    if (this.#batchCount === 0) return;
    this.#flightOctets -= this.#oldestOctets;
    this.#flightMessages -= this.#oldestMessages;
    this.#batchCount -= 1;
    const later = this.#later;
    if (this.#batchCount > 0 && later !== undefined) {
      this.#oldestOctets = later.shift() as number;
      this.#oldestMessages = later.shift() as number;
    } else {
      this.#oldestOctets = 0;
      this.#oldestMessages = 0;
    }
  }

  /** Forget everything (the wheel is gone). */
  clear(): void {
    this.#first = undefined;
    if (this.#rest !== undefined) this.#rest.length = 0;
    this.#pendingOctets = 0;
    this.#allStrings = true;
    this.#flightOctets = 0;
    this.#flightMessages = 0;
    this.#batchCount = 0;
    this.#oldestOctets = 0;
    this.#oldestMessages = 0;
    if (this.#later !== undefined) this.#later.length = 0;
  }

  #push(chunk: string | Buffer): void {
    if (this.#first === undefined) this.#first = chunk;
    else (this.#rest ??= []).push(chunk);
  }

  #pendingCount(): number {
    return this.#first === undefined ? 0 : 1 + (this.#rest === undefined ? 0 : this.#rest.length);
  }

  #addBatch(octets: number, messages: number): void {
    if (this.#batchCount === 0) {
      this.#oldestOctets = octets;
      this.#oldestMessages = messages;
    } else {
      (this.#later ??= []).push(octets, messages);
    }
    this.#batchCount += 1;
  }
}

function concat(chunks: ReadonlyArray<string | Buffer>): Buffer {
  return Buffer.concat(chunks.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk)));
}
