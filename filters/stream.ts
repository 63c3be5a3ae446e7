// POE::Filter::Stream: no framing at all; whatever has arrived is one record.

import { Buffer } from "node:buffer";
import { Filter, readParams, toBuffer, warnUnknownParams } from "./filter.js";
import type { Chunk } from "./filter.js";

const TYPE = "POE::Filter::Stream";

/** Constructor parameters of {@link FilterStream}: none, as in POE. */
export type FilterStreamParams = Record<string, never>;

/**
 * Passes data through unchanged: `get_one` returns everything buffered as one record.
 *
 * Ports POE::Filter::Stream. One wheel read is one record; `get(["a", "b"])`
 * returns one record `"ab"`.
 *
 * Differs from POE: records are Buffers (`String(record)` decodes UTF-8);
 * `put` returns the chunks it is given, strings or Buffers.
 *
 * @example
 * const filter = FilterStream.new();
 * filter.get(["ab", "cd"]).map(String); // ["abcd"]
 */
export class FilterStream extends Filter {
  static override readonly poeType: string = TYPE;

  // Chunks are kept as a list and joined once, when get_one takes them.
  #chunks: Buffer[] = [];

  /**
   * Ports POE::Filter::Stream::new. Takes no parameters; unknown ones warn.
   */
  static override new(params?: FilterStreamParams): FilterStream {
    return new FilterStream(params);
  }

  constructor(params?: FilterStreamParams) {
    super();
    warnUnknownParams(TYPE, readParams(TYPE, params), []);
  }

  /** Ports POE::Filter::Stream::get_one_start: buffers `chunks` (strings as UTF-8). */
  get_one_start(chunks: readonly Chunk[]): void {
    for (const chunk of chunks) {
      const bytes = toBuffer(chunk);
      if (bytes.length > 0) this.#chunks.push(bytes);
    }
  }

  /** Ports POE::Filter::Stream::get_one: `[everything buffered]`, or `[]` when empty. */
  get_one(): Buffer[] {
    if (this.#chunks.length === 0) return [];
    const chunks = this.#chunks;
    this.#chunks = [];
    return [chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)];
  }

  /** Ports POE::Filter::Stream::put: a copy of the list of chunks. */
  put<T>(chunks: readonly T[]): T[] {
    return [...chunks];
  }

  /** Ports POE::Filter::Stream::get_pending: `[bytes]` buffered, or `undefined`. */
  get_pending(): Buffer[] | undefined {
    if (this.#chunks.length === 0) return undefined;
    return [Buffer.concat(this.#chunks)];
  }

  /** Ports POE::Filter::Stream::clone: a new, empty Stream filter. */
  clone(): FilterStream {
    return new FilterStream();
  }
}
