// POE::Filter::Line: records are lines of text, ended by a terminator.

import { Buffer } from "node:buffer";
import { ByteBuffer } from "./byte-buffer.js";
import { cutAfterByte, cutAfterNewline, seekByte, shiftSeek } from "./line-scan.js";
import { readLineSettings, TYPE, type FilterLineParams, type Mode } from "./line-params.js";
import { LineDecoder } from "./line-text.js";
import type { ByteSeek } from "./line-scan.js";
import { FILTER_ERROR_CODES, Filter, FilterError, maxBufferError, toBuffer } from "./filter.js";
import type { Chunk } from "./filter.js";

export type { FilterLineParams } from "./line-params.js";

const CR = 0x0d;
const LF = 0x0a;
// A terminator matched by InputRegexp is assumed shorter than this, so a
// search can resume near where the previous one stopped instead of rescanning
// the whole buffer each time a chunk arrives.
const REGEXP_SLACK = 256;

// POE's AUTODETECT_STATE: DONE (or never started), FIRST (waiting for the
// first newline), SECOND (a one-byte newline was at the very end of the
// buffer; the next byte decides whether it was half of a two-byte one).
const AUTO_DONE = 0;
const AUTO_FIRST = 1;
const AUTO_SECOND = 2;
const NO_BYTES = Buffer.alloc(0);

/**
 * Parses lines out of a byte stream and terminates lines for writing.
 *
 * Ports POE::Filter::Line. By default any of CR, LF, CRLF and LFCR ends an
 * input line and `put` appends CRLF, exactly as POE does.
 *
 * Differs from POE: records are strings decoded with `Encoding` (UTF-8 by
 * default; a character split across chunks decodes correctly); `get_pending`
 * returns Buffers; the bounds default to 1 MiB per line and 8 MiB buffered,
 * and an over-long line is discarded up to its terminator after the error.
 *
 * @example
 * const filter = FilterLine.new({ Literal: "\n" });
 * filter.get(["one\ntw", "o\n"]); // ["one", "two"]
 * filter.put(["three"]);          // ["three\n"]
 */
export class FilterLine extends Filter {
  static override readonly poeType: string = TYPE;

  #buffer = new ByteBuffer();
  // Set from readLineSettings() in the constructor; typed defaults here keep
  // V8's field representations (a number stays a small integer).
  #mode: Mode = "newline";
  #literal: Buffer = NO_BYTES;
  #regexp: RegExp | undefined;
  #output: string | Buffer = "\r\n";
  #encoding: BufferEncoding = "utf8";
  #decoder: LineDecoder;
  #stringOutput = true;
  #auto = AUTO_DONE;
  #maxLength = 0;
  #maxBuffer = 0;
  // Parse state, all relative to the first pending byte.
  #scan = 0;
  #termEnd = 0;
  #lf: ByteSeek = { at: -2, to: 0 };
  #cr: ByteSeek = { at: -2, to: 0 };
  #text: string | undefined;
  #textFrom = 0;
  #discarding = false;
  // True while the pending bytes hold no terminator (the last search failed).
  #drained = false;
  // The tail of a chunk not yet appended: bytes after the buffer's (see get_one_start).
  #rest: Buffer | undefined;

  /**
   * Ports POE::Filter::Line::new.
   * @param params `Literal`, `InputLiteral`, `OutputLiteral`, `InputRegexp`, `MaxLength`, `MaxBuffer`, `Encoding`.
   * @throws Error naming the parameter, with POE's croak text.
   */
  static override new(params?: FilterLineParams): FilterLine {
    return new FilterLine(params);
  }

  constructor(params?: FilterLineParams) {
    super();
    const settings = readLineSettings(params);
    this.#mode = settings.mode;
    this.#literal = settings.literal;
    this.#regexp = settings.regexp;
    this.#output = settings.output;
    this.#encoding = settings.encoding;
    this.#decoder = new LineDecoder(settings.encoding);
    this.#stringOutput = settings.stringOutput;
    this.#auto = settings.autodetect ? AUTO_FIRST : AUTO_DONE;
    this.#maxLength = settings.maxLength;
    this.#maxBuffer = settings.maxBuffer;
  }

  /** Ports POE::Filter::Line::get_one_start: buffers `chunks` (strings are encoded with `Encoding`). */
  get_one_start(chunks: readonly Chunk[]): void {
    this.#foldRest();
    const buffers = chunks.map((chunk) => toBuffer(chunk, this.#encoding));
    if (buffers.length === 1 && this.#splitChunk(buffers[0] as Buffer)) return;
    const size = this.#buffer.appendWithin(buffers, this.#maxBuffer);
    if (size !== undefined) {
      this.#reset();
      this.#discarding = true;
      throw maxBufferError(TYPE, this.#maxBuffer, size);
    }
    this.#appended();
  }

  /** Ports POE::Filter::Line::get_one: `[line]`, or `[]` when no complete line is buffered. */
  get_one(): string[] {
    const line = this.#nextLine();
    return line === undefined ? [] : [line];
  }

  /**
   * {@link get_one} without the array: the next line, or `undefined` when no
   * complete line is buffered. Internal, for ReadWrite's read loop.
   */
  _nextRecord(): string | undefined {
    return this.#nextLine();
  }

  /** Ports POE::Filter::get: every complete line in the buffer after adding `chunks`. */
  override get(chunks: readonly Chunk[]): string[] {
    this.get_one_start(chunks);
    const lines: string[] = [];
    for (let line = this.#nextLine(); line !== undefined; line = this.#nextLine()) lines.push(line);
    return lines;
  }

  /**
   * Ports POE::Filter::Line::put: each record with the output terminator appended.
   *
   * Differs from POE: chunks are strings when `Encoding` is UTF-8 and both the
   * record and the terminator are strings; otherwise Buffers.
   */
  put(records: readonly unknown[]): Array<string | Buffer> {
    const output = this.#output;
    // A loop and push, not map(): V8's inlined map() and its builtin return
    // arrays of different shapes, which deoptimises the wheel code reading them.
    const chunks: Array<string | Buffer> = [];
    for (const record of records) {
      if (this.#stringOutput && typeof output === "string" && !(record instanceof Uint8Array)) {
        chunks.push(String(record ?? "") + output);
      } else {
        chunks.push(Buffer.concat([toBuffer(record ?? "", this.#encoding), toBuffer(output, this.#encoding)]));
      }
    }
    return chunks;
  }

  /** Ports POE::Filter::Line::get_pending: `[bytes]` not yet parsed, or `undefined`. */
  get_pending(): Buffer[] | undefined {
    this.#foldRest();
    return this.#buffer.length === 0 ? undefined : [Buffer.from(this.#buffer.view())];
  }

  /** Ports POE::Filter::clone: same terminators (an autodetected one included) and bounds, empty buffer. */
  clone(): FilterLine {
    const twin = new FilterLine();
    twin.#mode = this.#mode;
    twin.#literal = this.#literal;
    twin.#regexp = this.#regexp === undefined ? undefined : new RegExp(this.#regexp.source, this.#regexp.flags);
    twin.#output = this.#output;
    twin.#encoding = this.#encoding;
    twin.#decoder = new LineDecoder(this.#encoding);
    twin.#stringOutput = this.#stringOutput;
    twin.#auto = this.#auto;
    twin.#maxLength = this.#maxLength;
    twin.#maxBuffer = this.#maxBuffer;
    return twin;
  }

  #setLiteral(literal: Buffer): void {
    this.#mode = "literal";
    this.#literal = Buffer.from(literal);
  }

  // ---------------------------------------------------------------------------
  // Parsing

  // The body of POE's get_one() LINE loop.
  #nextLine(): string | undefined {
    for (;;) {
      if (this.#discarding && !this.#discardLine()) return undefined;
      if (this.#auto === AUTO_SECOND) {
        if (this.#buffer.length === 0) return undefined;
        this.#completeNewline();
        continue;
      }
      const lineEnd = this.#find();
      if (lineEnd < 0) {
        if (this.#rest !== undefined) {
          this.#foldRest();
          continue;
        }
        this.#checkUnterminated();
        this.#drained = true;
        return undefined;
      }
      if (this.#auto === AUTO_FIRST) this.#detect(lineEnd, this.#termEnd);
      return this.#takeLine(lineEnd, this.#termEnd);
    }
  }

  // Relative index where the next line ends (and #termEnd where its
  // terminator ends), or -1.
  #find(): number {
    if (this.#auto === AUTO_FIRST || this.#mode === "newline") return this.#findNewline();
    if (this.#mode === "regexp") return this.#findRegexp();
    const literal = this.#literal;
    const found = this.#buffer.indexOf(literal.length === 1 ? (literal[0] as number) : literal, this.#scan);
    if (found < 0) {
      this.#scan = Math.max(0, this.#buffer.length - literal.length + 1);
      return -1;
    }
    this.#termEnd = found + literal.length;
    return found;
  }

  // POE's default /(\x0D\x0A?|\x0A\x0D?)/: the first CR or LF, plus the
  // complementary byte if it is already buffered. A CR at the very end of the
  // buffer is a whole terminator, hence the extra "" when LF comes next read.
  #findNewline(): number {
    const lf = seekByte(this.#buffer, this.#lf, LF);
    const cr = seekByte(this.#buffer, this.#cr, CR);
    const found = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (found < 0) return -1;
    const pair = this.#buffer.at(found) === CR ? LF : CR;
    const twoBytes = found + 1 < this.#buffer.length && this.#buffer.at(found + 1) === pair;
    this.#termEnd = found + (twoBytes ? 2 : 1);
    return found;
  }

  #findRegexp(): number {
    const regexp = this.#regexp as RegExp;
    if (this.#text === undefined) {
      this.#textFrom = this.#scan;
      this.#text = this.#buffer.text("latin1", this.#scan, this.#buffer.length);
    }
    regexp.lastIndex = this.#scan - this.#textFrom;
    for (;;) {
      const match = regexp.exec(this.#text);
      if (match === null) break;
      if (match[0].length === 0) {
        // A terminator that matches nothing would make endless empty lines.
        regexp.lastIndex = match.index + 1;
        continue;
      }
      this.#termEnd = match.index + match[0].length + this.#textFrom;
      return match.index + this.#textFrom;
    }
    this.#scan = Math.max(0, this.#buffer.length - REGEXP_SLACK + 1);
    return -1;
  }

  // Autodetect, first newline seen: POE's "The newline can be complete
  // under two conditions. First: If it's two characters. Second: If
  // there's more data in the framing buffer."
  #detect(lineEnd: number, termEnd: number): void {
    this.#setLiteral(this.#buffer.view().subarray(lineEnd, termEnd));
    const complete = termEnd - lineEnd === 2 || termEnd < this.#buffer.length;
    this.#auto = complete ? AUTO_DONE : AUTO_SECOND;
  }

  // Autodetect, second state: the first byte may complete the newline.
  #completeNewline(): void {
    const first = this.#literal[0] as number;
    const next = this.#buffer.at(0);
    if (next === (first === CR ? LF : CR)) {
      this.#setLiteral(Buffer.from([first, next]));
      this.#consume(1);
    }
    this.#auto = AUTO_DONE;
  }

  // A chunk arriving after a partial line would be copied whole to join
  // that line. Instead only its head, up to the end of its first line, is
  // appended; the rest is kept aside and adopted without a copy once the
  // buffer is empty. Only when that cannot change where lines end: no
  // terminator pending, a one-byte-decided terminator, within MaxBuffer.
  #splitChunk(chunk: Buffer): boolean {
    const pending = this.#buffer.length;
    if (pending === 0 || !this.#drained || this.#discarding || this.#auto !== AUTO_DONE) return false;
    if (pending + chunk.length > this.#maxBuffer) return false;
    const cut = this.#mode === "newline" ? cutAfterNewline(chunk) : this.#mode === "literal" && this.#literal.length === 1 ? cutAfterByte(chunk, this.#literal[0] as number) : -1;
    if (cut < 0 || cut >= chunk.length) return false;
    const head = chunk.subarray(0, cut);
    this.#buffer.append([head], cut);
    this.#rest = chunk.subarray(cut);
    this.#appended();
    return true;
  }

  // Bytes were appended: a search may succeed again, and decoded text is stale.
  #appended(): void {
    this.#drained = false;
    this.#text = undefined;
    this.#decoder.reset();
  }

  // Append the kept-aside tail of a chunk, if any.
  #foldRest(): void {
    const rest = this.#rest;
    if (rest === undefined) return;
    this.#rest = undefined;
    this.#buffer.append([rest], rest.length);
    this.#appended();
  }

  #takeLine(lineEnd: number, termEnd: number): string {
    if (lineEnd > this.#maxLength) {
      this.#consume(termEnd);
      throw this.#lineError(lineEnd, "");
    }
    const buffer = this.#buffer;
    const line = this.#decoder.decode(buffer.bytes, buffer.start, buffer.start + lineEnd, buffer.start + buffer.length);
    this.#consume(termEnd);
    return line;
  }

  // Nothing terminates the buffered bytes. If they already make a line
  // longer than MaxLength, fail now rather than buffer up to MaxBuffer.
  #checkUnterminated(): void {
    const length = this.#buffer.length;
    const least = length - this.#keepWhileDiscarding();
    if (least <= this.#maxLength) return;
    this.#consume(least);
    this.#discarding = true;
    throw this.#lineError(least, " buffered without a line end");
  }

  // After a bound error: drop input up to and including the next terminator.
  #discardLine(): boolean {
    if (this.#auto === AUTO_SECOND) this.#auto = AUTO_DONE;
    const lineEnd = this.#find();
    if (lineEnd >= 0) {
      this.#consume(this.#termEnd);
      this.#discarding = false;
      return true;
    }
    this.#consume(Math.max(0, this.#buffer.length - this.#keepWhileDiscarding()));
    return false;
  }

  // Trailing bytes that may still be the start of a terminator.
  #keepWhileDiscarding(): number {
    if (this.#auto === AUTO_FIRST || this.#mode === "newline") return 0;
    if (this.#mode === "regexp") return Math.min(this.#buffer.length, REGEXP_SLACK - 1);
    return Math.min(this.#buffer.length, this.#literal.length - 1);
  }

  #consume(count: number): void {
    if (count === 0) return;
    this.#buffer.skip(count);
    this.#scan = 0;
    this.#textFrom -= count;
    shiftSeek(this.#lf, count);
    shiftSeek(this.#cr, count);
  }

  #reset(): void {
    this.#buffer.clear();
    this.#rest = undefined;
    this.#drained = false;
    this.#scan = 0;
    this.#text = undefined;
    this.#decoder.reset();
    this.#lf = { at: -2, to: 0 };
    this.#cr = { at: -2, to: 0 };
  }

  #lineError(size: number, note: string): FilterError {
    return new FilterError(
      `${TYPE}: Next line exceeds maximum line length (MaxLength = ${this.#maxLength} bytes): ${size} bytes${note}`,
      FILTER_ERROR_CODES.MAX_LENGTH,
      { bound: "MaxLength", limit: this.#maxLength, size },
    );
  }
}
