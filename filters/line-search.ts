// Filter::Line's input terminator and the search of its pending bytes for it.
// Internal; not exported by filters/index.ts.

import { Buffer } from "node:buffer";
import type { ByteBuffer } from "./byte-buffer.js";
import type { Mode } from "./line-params.js";
import { earliest, pairsWith, searchRegexp, seekByte, shiftSeek, type ByteSeek } from "./line-scan.js";

const CR = 0x0d;
const LF = 0x0a;

// A terminator matched by InputRegexp is assumed shorter than this, so a
// search can resume near where the previous one stopped instead of
// rescanning the whole buffer each time a chunk arrives.
const REGEXP_SLACK = 256;
const NO_BYTES = Buffer.alloc(0);

// POE's AUTODETECT_STATE: DONE (or never started), FIRST (waiting for the
// first newline), SECOND (a one-byte newline was at the very end of the
// buffer; the next byte decides whether it was half of a two-byte one).
export const AUTO_DONE = 0;
export const AUTO_FIRST = 1;
export const AUTO_SECOND = 2;

/**
 * A Filter.Line's input terminator, POE's default newline (also while it is
 * being autodetected), a Literal or an InputRegexp, and where the next line
 * of the filter's pending bytes ends. Each search resumes where the one
 * before gave up, so bytes arriving a few at a time are not rescanned.
 * Indexes are relative to the first pending byte; `consume()` keeps them so
 * as bytes are taken. The terminator's fields are read by the filter and
 * set here only.
 */
export class LineSearch {
  /** Where the terminator the last successful search found ends. */
  termEnd = 0;
  mode: Mode = "newline";
  /** The terminator in "literal" mode, and as latin1 text. */
  literal: Buffer = NO_BYTES;
  literalText = "";
  regexp: RegExp | undefined;
  /** POE's AUTODETECT_STATE (AUTO_DONE, AUTO_FIRST, AUTO_SECOND). */
  auto = AUTO_DONE;
  readonly #buffer: ByteBuffer;
  // Where a Literal or InputRegexp search resumes.
  #scan = 0;
  #lf: ByteSeek = { at: -2, to: 0 };
  #cr: ByteSeek = { at: -2, to: 0 };
  // The pending bytes from #textFrom on, as latin1 text, for InputRegexp.
  #text: string | undefined;
  #textFrom = 0;

  constructor(buffer: ByteBuffer) {
    this.#buffer = buffer;
  }

  /**
   * Search for this terminator: `literal` in "literal" mode, `regexp` in
   * "regexp" mode; "newline" mode while `auto` is AUTO_FIRST.
   */
  use(mode: Mode, literal: Buffer, regexp: RegExp | undefined, auto: number): void {
    this.mode = mode;
    this.literal = literal;
    this.literalText = literal.length === 0 ? "" : literal.toString("latin1");
    this.regexp = regexp;
    this.auto = auto;
  }

  /** A one-byte terminator (POE's default newline or a one-byte Literal): a read boundary cannot cut it in two. */
  oneByte(): boolean {
    return this.mode === "newline" || (this.mode === "literal" && this.literal.length === 1);
  }

  /** Where the next line ends (and `termEnd` where its terminator ends), or -1. */
  find(): number {
    if (this.mode === "newline") return this.#newline();
    if (this.mode === "regexp") return this.#regexpAt(this.regexp as RegExp);
    return this.#literalAt(this.literal);
  }

  /** The trailing bytes that may still be the start of a terminator. */
  keep(): number {
    if (this.mode === "newline") return 0;
    if (this.mode === "regexp") return Math.min(this.#buffer.length, REGEXP_SLACK - 1);
    return Math.min(this.#buffer.length, this.literal.length - 1);
  }

  /**
   * Autodetect, the first newline is at [lineEnd, termEnd): POE's "The
   * newline can be complete under two conditions. First: If it's two
   * characters. Second: If there's more data in the framing buffer."
   */
  detect(lineEnd: number, termEnd: number): void {
    this.#setLiteral(this.#buffer.view().subarray(lineEnd, termEnd));
    const complete = termEnd - lineEnd === 2 || termEnd < this.#buffer.length;
    this.auto = complete ? AUTO_DONE : AUTO_SECOND;
  }

  /** Autodetect, second state: the first pending byte may complete the newline (and is then taken). */
  completeNewline(): void {
    const first = this.literal[0] as number;
    const next = this.#buffer.at(0);
    if (pairsWith(first, next)) {
      this.#setLiteral(Buffer.from([first, next]));
      this.consume(1);
    }
    this.auto = AUTO_DONE;
  }

  /**
   * After a bound error: drop the bytes up to and including the next
   * terminator, true when there was one; else all but those {@link keep}s.
   * A one-byte newline being autodetected is taken as it is.
   */
  discard(): boolean {
    if (this.auto === AUTO_SECOND) this.auto = AUTO_DONE;
    const lineEnd = this.find();
    if (lineEnd >= 0) {
      this.consume(this.termEnd);
      return true;
    }
    this.consume(Math.max(0, this.#buffer.length - this.keep()));
    return false;
  }

  /**
   * POE's default /(\x0D\x0A?|\x0A\x0D?)/: the first CR or LF, plus the
   * complementary byte if it is already buffered. A CR at the very end of
   * the buffer is a whole terminator, hence the extra "" when LF comes next
   * read.
   */
  #newline(): number {
    const buffer = this.#buffer;
    const lf = seekByte(buffer, this.#lf, LF);
    const cr = seekByte(buffer, this.#cr, CR);
    const found = earliest(lf, cr);
    if (found < 0) return -1;
    const twoBytes = found + 1 < buffer.length && pairsWith(buffer.at(found), buffer.at(found + 1));
    this.termEnd = found + (twoBytes ? 2 : 1);
    return found;
  }

  #literalAt(literal: Buffer): number {
    const buffer = this.#buffer;
    const found = buffer.indexOf(literal.length === 1 ? (literal[0] as number) : literal, this.#scan);
    if (found < 0) {
      this.#scan = Math.max(0, buffer.length - literal.length + 1);
      return -1;
    }
    this.termEnd = found + literal.length;
    return found;
  }

  // Searched in the bytes read as latin1.
  #regexpAt(regexp: RegExp): number {
    const buffer = this.#buffer;
    if (this.#text === undefined) {
      this.#textFrom = this.#scan;
      this.#text = buffer.text("latin1", this.#scan, buffer.length);
    }
    const match = searchRegexp(regexp, this.#text, this.#scan - this.#textFrom);
    if (match === undefined) {
      this.#scan = Math.max(0, buffer.length - REGEXP_SLACK + 1);
      return -1;
    }
    this.termEnd = match[1] + this.#textFrom;
    return match[0] + this.#textFrom;
  }

  // An autodetected newline becomes the Literal (a copy of the buffer's bytes).
  #setLiteral(literal: Buffer): void {
    this.use("literal", Buffer.from(literal), this.regexp, this.auto);
  }

  /** Bytes were appended: the text an InputRegexp search decoded is stale. */
  appended(): void {
    this.#text = undefined;
  }

  /** Take `count` bytes from the front of the buffer. */
  consume(count: number): void {
    if (count === 0) return;
    this.#buffer.skip(count);
    this.#scan = 0;
    this.#textFrom -= count;
    shiftSeek(this.#lf, count);
    shiftSeek(this.#cr, count);
  }

  /** The buffer was cleared: search from its start. */
  reset(): void {
    this.#scan = 0;
    this.#text = undefined;
    this.#lf = { at: -2, to: 0 };
    this.#cr = { at: -2, to: 0 };
  }
}
