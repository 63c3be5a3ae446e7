// Record decoding of Filter::Line, its text path (ChunkText) and its put's
// terminating. Internal; not exported by filters/index.ts.
//
// Decoding each line with Buffer#toString costs a native call and a fresh
// string per line. When the bytes read as one-byte characters (latin1 always;
// UTF-8 and ASCII while the bytes are ASCII, where all three decodings agree)
// a window of pending bytes is decoded once and each line is a slice of it.

import { Buffer, isAscii } from "node:buffer";
import { toBuffer } from "./filter.js";
import { earliest, pairsWith } from "./line-scan.js";

const CR = 0x0d;
const LF = 0x0a;

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

  /** True when the encoding decodes a CR or LF byte, and no other, as that character: UTF-8 and latin1 (not ASCII, which drops the high bit). */
  readonly bytewise: boolean;

  constructor(encoding: BufferEncoding) {
    this.#encoding = encoding;
    // The default encoding without the lookup: a filter per connection makes one.
    this.#mode = encoding === "utf8" ? IF_ASCII : sliceability(encoding);
    this.bytewise = encoding === "utf8" || this.#mode === ALWAYS || (this.#mode === IF_ASCII && encoding.toLowerCase() !== "ascii");
  }

  /** Forget what was decoded (the pending bytes changed). */
  reset(): void {
    this.#bytes = undefined;
    this.#text = undefined;
    this.#slowTo = 0;
  }

  /** True when `bytes` decode under the encoding exactly as they do under latin1. */
  readsAsLatin1(bytes: Buffer): boolean {
    return this.#mode === ALWAYS || (this.#mode === IF_ASCII && isAscii(bytes));
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
    if (!this.readsAsLatin1(bytes.subarray(start, to))) {
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

/**
 * Filter::Line's put: each record with `output` appended, as one string when
 * both are strings and the encoding is UTF-8 (`stringOutput`), else bytes.
 */
export function terminate(records: readonly unknown[], output: string | Buffer, stringOutput: boolean, encoding: BufferEncoding): Array<string | Buffer> {
  // A loop and push, not map(): V8's inlined map() and its builtin return
  // arrays of different shapes, which deoptimises the wheel code reading them.
  const chunks: Array<string | Buffer> = [];
  for (const record of records) {
    chunks.push(terminateString(record, output, stringOutput) ?? Buffer.concat([toBuffer(record ?? "", encoding), toBuffer(output, encoding)]));
  }
  return chunks;
}

/** One record terminated, when {@link terminate} makes it a string; else undefined. */
export function terminateString(record: unknown, output: string | Buffer, stringOutput: boolean): string | undefined {
  return stringOutput && typeof output === "string" && !(record instanceof Uint8Array) ? String(record ?? "") + output : undefined;
}

/**
 * The line a chunk holds when it is exactly one line, decoded whole with
 * `encoding` and its terminator cut off; undefined when it is not (no
 * terminator at its end, another one before it, or over `maxLength`).
 * Lines end with `literal` (one latin1 character) or, when it is
 * undefined, POE's default newline, whose two-byte forms are CRLF and
 * LFCR. The encoding must decode a CR or LF byte, and no other, as that
 * character ({@link LineDecoder.bytewise}).
 */
export function wholeLine(chunk: Buffer, encoding: BufferEncoding, literal: string | undefined, maxLength: number): string | undefined {
  const n = chunk.length;
  if (n === 0) return undefined;
  const last = chunk[n - 1] as number;
  let term = 1;
  if (literal === undefined) {
    if (last !== LF && last !== CR) return undefined;
    const before = n > 1 ? (chunk[n - 2] as number) : undefined;
    if ((before === CR || before === LF) && pairsWith(before, last)) term = 2;
  } else if (last !== literal.charCodeAt(0)) return undefined;
  if (n - term > maxLength) return undefined;
  const text = chunk.toString(encoding);
  const end = text.length - term;
  // The line's first terminator must be the one at its end.
  if (literal === undefined) {
    const lf = text.indexOf("\n");
    const cr = text.indexOf("\r");
    if (earliest(lf, cr) !== end) return undefined;
  } else if (text.indexOf(literal) !== end) return undefined;
  return text.slice(0, end);
}

/**
 * A chunk that arrived with nothing pending, decoded once as one-byte text
 * (see {@link LineDecoder.readsAsLatin1}): lines are found with string
 * searches and returned as slices, with no byte buffer in between. `at` is
 * the first byte not yet taken; text offsets are byte offsets. Lines end with
 * `literal` (its latin1 text) or, when it is undefined, POE's default
 * newline; none is longer than `maxLength`.
 *
 * `head` is the unterminated tail of the chunk before (its bytes in
 * `headBytes`), which the first line found here completes, as a raw-Node
 * split joins its leftover to the next chunk: a line cut by a read boundary
 * then costs no trip through the byte buffer. It is "" once that line is taken.
 */
export class ChunkText {
  readonly bytes: Buffer;
  readonly text: string;
  /** The text's length: the chunk is used up when `at` reaches it. */
  readonly size: number;
  at = 0;
  /** Where the terminator of the line last found ends. */
  termEnd = 0;
  /** True when the last nextLine() found no terminator from `at` on. */
  open = false;
  head = "";
  headBytes: Buffer | undefined;
  readonly #literal: string | undefined;
  readonly #maxLength: number;
  // The next LF / CR at or after `at`: -1 when there is none, stale when below `at`.
  #lf = -2;
  #cr = -2;

  constructor(bytes: Buffer, literal: string | undefined, maxLength: number) {
    this.bytes = bytes;
    this.text = bytes.toString("latin1");
    this.size = this.text.length;
    this.#literal = literal;
    this.#maxLength = maxLength;
  }

  /**
   * POE's default newline, as Filter.Line's byte search: the first CR or LF
   * from `at`, with the complementary byte when it follows. Its index, or -1.
   */
  findNewline(): number {
    const text = this.text;
    if (this.#lf !== -1 && this.#lf < this.at) this.#lf = text.indexOf("\n", this.at);
    if (this.#cr !== -1 && this.#cr < this.at) this.#cr = text.indexOf("\r", this.at);
    const lf = this.#lf;
    const cr = this.#cr;
    const found = earliest(lf, cr);
    if (found < 0) return -1;
    this.termEnd = found + 1 < text.length && pairsWith(text.charCodeAt(found), text.charCodeAt(found + 1)) ? found + 2 : found + 1;
    return found;
  }

  /**
   * The next line, its terminator taken too. Undefined, with nothing taken,
   * when no terminator follows or the line is longer than `maxLength`.
   */
  nextLine(): string | undefined {
    // Small enough for V8 to inline into the wheel's read loop: the common
    // case here, the rest in #searchLine.
    if (this.#literal === undefined && this.#cr === -1) {
      // No CR from `at` on: the default newline is a lone LF, one search.
      const at = this.at;
      const lf = this.text.indexOf("\n", at);
      if (lf >= 0 && lf - at <= this.#maxLength) {
        this.at = lf + 1;
        return this.text.slice(at, lf);
      }
    }
    return this.#searchLine();
  }

  // nextLine() by a full search: a Literal, a CR ahead, the head to
  // complete, no terminator (open), or over MaxLength.
  #searchLine(): string | undefined {
    const literal = this.#literal;
    const at = this.at;
    const found = literal === undefined ? this.findNewline() : this.findLiteral(literal);
    if (found < 0) {
      this.open = true;
      return undefined;
    }
    // The fast path in nextLine() runs only once a search has run here, so
    // the first line, the one that completes `head`, always comes this way.
    const head = this.head;
    if (found - at + head.length > this.#maxLength) return undefined;
    this.at = this.termEnd;
    if (head === "") return this.text.slice(at, found);
    this.head = "";
    this.headBytes = undefined;
    return head + this.text.slice(at, found);
  }

  /** The bytes not yet taken: the head's, then the chunk's from `at`. */
  untaken(): Buffer[] {
    const rest = this.bytes.subarray(this.at);
    return this.headBytes === undefined ? [rest] : [this.headBytes, rest];
  }

  /** The next `literal` (its latin1 text) from `at`: its index, or -1. */
  findLiteral(literal: string): number {
    const found = this.text.indexOf(literal, this.at);
    if (found >= 0) this.termEnd = found + literal.length;
    return found;
  }
}
