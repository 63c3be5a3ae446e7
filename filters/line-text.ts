// Record decoding of Filter::Line. Internal; not exported by filters/index.ts.
//
// Decoding each line with Buffer#toString costs a native call and a fresh
// string per line. When the bytes read as one-byte characters (latin1 always;
// UTF-8 and ASCII while the bytes are ASCII, where all three decodings agree)
// a window of pending bytes is decoded once and each line is a slice of it.

import { Buffer, isAscii } from "node:buffer";

/** Bytes decoded at once, at least; a line longer than this is decoded whole. */
const WINDOW = 64 * 1024;

/** How an encoding can be sliced: always, only over ASCII bytes, or never. */
const ALWAYS = 2;
const IF_ASCII = 1;
const NEVER = 0;

function sliceability(encoding: BufferEncoding): number {
  switch (encoding.toLowerCase()) {
    case "latin1":
    case "binary":
      return ALWAYS;
    case "utf8":
    case "utf-8":
    case "ascii":
      return IF_ASCII;
    default:
      return NEVER;
  }
}

/** Decodes line bytes `[start, end)` of a backing Buffer, a window at a time when it can. */
export class LineDecoder {
  #encoding: BufferEncoding;
  #mode: number;
  #bytes: Buffer | undefined;
  #text: string | undefined;
  #from = 0;
  #to = 0;
  // Bytes of #bytes before this absolute offset are known not to be ASCII.
  #slowTo = 0;

  constructor(encoding: BufferEncoding) {
    this.#encoding = encoding;
    this.#mode = sliceability(encoding);
  }

  /** Forget what was decoded (the pending bytes changed). */
  reset(): void {
    this.#bytes = undefined;
    this.#text = undefined;
    this.#slowTo = 0;
  }

  /** The text of `bytes[start, end)`; `limit` is where the pending bytes end. */
  decode(bytes: Buffer, start: number, end: number, limit: number): string {
    const text = this.#text;
    if (text !== undefined && bytes === this.#bytes && start >= this.#from && end <= this.#to) {
      return text.slice(start - this.#from, end - this.#from);
    }
    if (this.#mode === NEVER || (bytes === this.#bytes && start < this.#slowTo)) return bytes.toString(this.#encoding, start, end);
    const to = Math.min(limit, Math.max(end, start + WINDOW));
    this.#bytes = bytes;
    if (this.#mode === IF_ASCII && !isAscii(bytes.subarray(start, to))) {
      this.#text = undefined;
      this.#slowTo = to;
      return bytes.toString(this.#encoding, start, end);
    }
    this.#from = start;
    this.#to = to;
    this.#text = bytes.toString("latin1", start, to);
    return this.#text.slice(0, end - start);
  }
}
