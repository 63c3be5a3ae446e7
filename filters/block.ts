// POE::Filter::Block: fixed-size blocks, or length-prefixed blocks.

import { Buffer } from "node:buffer";
import { ByteBuffer } from "./byte-buffer.js";
import {
  DEFAULT_MAX_BUFFER,
  DEFAULT_MAX_LENGTH,
  FILTER_ERROR_CODES,
  Filter,
  FilterError,
  maxBufferError,
  paramMax,
  readParams,
  toBuffer,
  warnUnknownParams,
} from "./filter.js";
import type { Chunk } from "./filter.js";
import { encodeLengthPrefix, peekLengthPrefix } from "./length-prefix.js";

const TYPE = "POE::Filter::Block";
const KNOWN_PARAMS = ["BlockSize", "LengthCodec", "MaxLength", "MaxBuffer"] as const;

/** What a {@link LengthCodec} function receives: Perl's scalar reference, as a box. */
export interface BlockRef {
  value: Buffer;
}

/**
 * `[encoder, decoder]`, as POE's `LengthCodec`. The encoder replaces
 * `ref.value` (a record) with its framed form. The decoder removes a length
 * prefix from the front of `ref.value` (the buffered bytes) and returns the
 * length, or returns `undefined` when no complete prefix is there yet.
 */
export type LengthCodec = readonly [(ref: BlockRef) => void, (ref: BlockRef) => number | undefined];

/** Constructor parameters of {@link FilterBlock}; POE's keys. */
export interface FilterBlockParams {
  /** Fixed block size in bytes (≥ 1). Excludes `LengthCodec` and `MaxLength`. */
  BlockSize?: number;
  /** Custom length prefix `[encoder, decoder]`. @default `"<decimal length>\0"` */
  LengthCodec?: LengthCodec;
  /** Largest block accepted, in bytes. @default 1048576 (POE: 64 MiB) */
  MaxLength?: number;
  /** Most bytes held unparsed. @default max(8388608, 2 × (MaxLength or BlockSize)) (POE: 512 MiB) */
  MaxBuffer?: number;
}

/**
 * Frames records as fixed-size blocks or as length-prefixed blocks.
 *
 * Ports POE::Filter::Block. With `BlockSize` every record is that many bytes
 * and `put` joins records into one chunk unchecked; otherwise each record is
 * written as `"<decimal length>\0<payload>"` (or by a custom `LengthCodec`).
 *
 * Differs from POE: records are Buffers; leading garbage is stripped (with
 * POE's warning) and parsing goes on in the same call; a header that can never
 * be valid throws instead of stalling; a block over `MaxLength` is skipped
 * after the error; `clone()` does not copy a half-read block's length.
 *
 * @example
 * const filter = FilterBlock.new();
 * filter.put(["abc"]).map(String); // ["3\0abc"]
 */
export class FilterBlock extends Filter {
  static override readonly poeType: string = TYPE;

  #buffer = new ByteBuffer();
  #blockSize: number | undefined;
  #encoder: ((ref: BlockRef) => void) | undefined;
  #decoder: ((ref: BlockRef) => number | undefined) | undefined;
  #maxLength = DEFAULT_MAX_LENGTH;
  #maxBuffer = DEFAULT_MAX_BUFFER;
  // POE's EXPECTED_SIZE: the length of a block whose prefix has been removed.
  #expected: number | undefined;
  // Bytes of an over-long block still to be thrown away.
  #skipping = 0;

  /**
   * Ports POE::Filter::Block::new.
   * @param params `BlockSize`, `LengthCodec`, `MaxLength`, `MaxBuffer`.
   * @throws Error naming the parameter, with POE's croak text.
   */
  static override new(params?: FilterBlockParams): FilterBlock {
    return new FilterBlock(params);
  }

  constructor(params?: FilterBlockParams) {
    super();
    const bag = readParams(TYPE, params);
    const explicitBuffer = paramMax("MaxBuffer", 0, bag);
    if (bag.BlockSize !== undefined && bag.BlockSize !== null) {
      this.#readBlockSize(bag);
      this.#maxBuffer = explicitBuffer || Math.max(DEFAULT_MAX_BUFFER, 2 * (this.#blockSize as number));
    } else {
      this.#readCodec(bag.LengthCodec);
      this.#maxLength = paramMax("MaxLength", DEFAULT_MAX_LENGTH, bag);
      const needed = this.#maxLength + String(this.#maxLength).length + 1;
      this.#maxBuffer = explicitBuffer || Math.max(DEFAULT_MAX_BUFFER, 2 * needed);
      if (this.#maxBuffer < needed) throw new RangeError("MaxBuffer is not large enough for MaxLength blocks");
    }
    warnUnknownParams(TYPE, bag, KNOWN_PARAMS);
  }

  /** Ports POE::Filter::Block::get_one_start: buffers `chunks` (strings as UTF-8). */
  get_one_start(chunks: readonly Chunk[]): void {
    const size = this.#buffer.appendWithin(chunks.map((chunk) => toBuffer(chunk)), this.#maxBuffer);
    if (size !== undefined) {
      this.#buffer.clear();
      this.#expected = undefined;
      throw maxBufferError(TYPE, this.#maxBuffer, size);
    }
  }

  /** Ports POE::Filter::Block::get_one: `[block]`, or `[]` when no whole block is buffered. */
  get_one(): Buffer[] {
    const block = this.#nextBlock();
    return block === undefined ? [] : [block];
  }

  /** Ports POE::Filter::get: every whole block in the buffer after adding `chunks`. */
  override get(chunks: readonly Chunk[]): Buffer[] {
    this.get_one_start(chunks);
    const blocks: Buffer[] = [];
    for (let block = this.#nextBlock(); block !== undefined; block = this.#nextBlock()) blocks.push(block);
    return blocks;
  }

  /**
   * Ports POE::Filter::Block::put. With `BlockSize`: one chunk, every record
   * joined, sizes unchecked (as POE). Otherwise one framed chunk per record.
   */
  put(records: readonly unknown[]): Buffer[] {
    if (this.#blockSize !== undefined) return [Buffer.concat(records.map((record) => toBuffer(record)))];
    const encoder = this.#encoder;
    if (encoder === undefined) return records.map((record) => encodeLengthPrefix(toBuffer(record)));
    return records.map((record) => {
      const ref: BlockRef = { value: toBuffer(record) };
      encoder(ref);
      return toBuffer(ref.value);
    });
  }

  /**
   * Ports POE::Filter::Block::get_pending: `[bytes]` not yet parsed, or `undefined`.
   *
   * As in POE, once a block's length prefix has been decoded it is no longer
   * pending: a half-received block reports only its payload bytes.
   */
  get_pending(): Buffer[] | undefined {
    return this.#buffer.length === 0 ? undefined : [Buffer.from(this.#buffer.view())];
  }

  /** Ports POE::Filter::clone: same block size, codec and bounds; empty buffer. */
  clone(): FilterBlock {
    const twin = new FilterBlock({ BlockSize: 1 });
    twin.#blockSize = this.#blockSize;
    twin.#encoder = this.#encoder;
    twin.#decoder = this.#decoder;
    twin.#maxLength = this.#maxLength;
    twin.#maxBuffer = this.#maxBuffer;
    return twin;
  }

  #readBlockSize(bag: Record<string, unknown>): void {
    const size = Number(bag.BlockSize);
    if (!(size >= 1) || !Number.isSafeInteger(size)) throw new RangeError(`${TYPE} doesn't support zero or negative block sizes`);
    if ("LengthCodec" in bag) throw new Error("Can't use both LengthCodec and BlockSize at the same time");
    if ("MaxLength" in bag) throw new Error("Can't use both MaxLength and BlockSize at the same time");
    this.#blockSize = size;
  }

  #readCodec(codec: unknown): void {
    if (codec === undefined || codec === null || codec === false) return;
    if (!Array.isArray(codec)) throw new TypeError("LengthCodec must be an array reference");
    if (codec.length !== 2) throw new TypeError("LengthCodec must contain two items");
    const [encoder, decoder] = codec as unknown[];
    if (typeof encoder !== "function") throw new TypeError("LengthCodec encoder must be a code reference");
    if (typeof decoder !== "function") throw new TypeError("LengthCodec decoder must be a code reference");
    this.#encoder = encoder as (ref: BlockRef) => void;
    this.#decoder = decoder as (ref: BlockRef) => number | undefined;
  }

  #nextBlock(): Buffer | undefined {
    if (this.#blockSize !== undefined) {
      return this.#buffer.length >= this.#blockSize ? this.#buffer.take(this.#blockSize) : undefined;
    }
    if (this.#skipping > 0 && !this.#skip()) return undefined;
    if (this.#expected === undefined) {
      this.#expected = this.#decodeLength();
      if (this.#expected === undefined) return undefined;
      if (this.#expected > this.#maxLength) this.#tooLong(this.#expected);
    }
    if (this.#buffer.length < this.#expected) return undefined;
    const block = this.#buffer.take(this.#expected);
    this.#expected = undefined;
    return block;
  }

  #decodeLength(): number | undefined {
    const decoder = this.#decoder;
    if (decoder === undefined) {
      const prefix = peekLengthPrefix(this.#buffer, TYPE, true);
      if (prefix === undefined) return undefined;
      this.#buffer.skip(prefix[1]);
      return prefix[0];
    }
    const before = this.#buffer.length;
    const ref: BlockRef = { value: this.#buffer.view() };
    const length = decoder(ref);
    const removed = before - toBuffer(ref.value).length;
    if (removed > 0) this.#buffer.skip(removed);
    if (length === undefined || length === null) return undefined;
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new FilterError(`${TYPE}: LengthCodec decoder returned ${String(length)}, not a length`, FILTER_ERROR_CODES.BAD_FRAME);
    }
    return length;
  }

  // POE dies here and would return the block on the next call; the port
  // throws the block's bytes away as they arrive, so the stream stays framed.
  #tooLong(expected: number): never {
    this.#expected = undefined;
    this.#skipping = expected;
    this.#skip();
    throw new FilterError(
      `${TYPE}: Expected size of next block exceeds the limit (MaxLength = ${this.#maxLength} bytes): ${expected} bytes`,
      FILTER_ERROR_CODES.MAX_LENGTH,
      { bound: "MaxLength", limit: this.#maxLength, size: expected },
    );
  }

  #skip(): boolean {
    const count = Math.min(this.#skipping, this.#buffer.length);
    this.#buffer.skip(count);
    this.#skipping -= count;
    return this.#skipping === 0;
  }
}
