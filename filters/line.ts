// POE::Filter::Line: records are lines of text, ended by a terminator.

import { Buffer } from "node:buffer";
import { ByteBuffer, totalLength } from "./byte-buffer.js";
import { cutAfterByte, cutAfterNewline, earliest, pairsWith, searchRegexp, seekByte, shiftSeek } from "./line-scan.js";
import { lineLengthError, readLineSettings, TYPE, type FilterLineParams, type Mode } from "./line-params.js";
import { ChunkText, LineDecoder, terminate, terminateString, wholeLine } from "./line-text.js";
import type { ByteSeek } from "./line-scan.js";
import { Filter, maxBufferError, toBuffer } from "./filter.js";
import type { Chunk } from "./filter.js";

export type { FilterLineParams } from "./line-params.js";

const CR = 0x0d;
const LF = 0x0a;
// A terminator matched by InputRegexp is assumed shorter than this, so a
// search can resume near where the previous one stopped instead of rescanning
// the whole buffer each time a chunk arrives.
const REGEXP_SLACK = 256;
// Copying a chunk shorter than this costs less than splitting it, and reading
// it as text pays only when it ends as a line does.
const SMALL_CHUNK = 1024;

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
  #literalText = "";
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
  // A chunk read as text while the buffer is empty (see #startChunk).
  #chunk: ChunkText | undefined;
  // A used-up text chunk whose unterminated tail the next chunk's first
  // line completes (see #chunkLine).
  #carry: ChunkText | undefined;
  // A short chunk that was one whole line (see #startLine): the line, and
  // the chunk's bytes until the line is taken. At most one of #rest,
  // #chunk, #carry and #line holds bytes outside the buffer.
  #line: string | undefined;
  #lineBytes: Buffer | undefined;

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
    this.#literalText = settings.literal.length === 0 ? "" : settings.literal.toString("latin1");
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
    if (chunks.length === 1) return this.#startOne(chunks[0] as Chunk);
    this.#fold();
    const buffers = chunks.map((chunk) => toBuffer(chunk, this.#encoding));
    this.#appendAll(buffers);
  }

  /** get_one_start([chunk]) without the list. Internal, for ReadWrite's read loop. */
  _startOne(chunk: Chunk): void {
    this.#startOne(chunk);
  }

  // get_one_start of one chunk (a socket read), without the list.
  #startOne(chunk: Chunk): void {
    const buffer = chunk instanceof Buffer ? chunk : toBuffer(chunk, this.#encoding);
    const carry = this.#carry;
    if (carry !== undefined && this.#startChunk(buffer, carry)) return;
    this.#fold();
    if (this.#startLine(buffer) || this.#startChunk(buffer, undefined) || this.#splitChunk(buffer)) return;
    this.#appendAll([buffer]);
  }

  #appendAll(buffers: Buffer[]): void {
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
    const line = this._nextRecord();
    return line === undefined ? [] : [line];
  }

  /** Ports POE::Filter::get: every complete line after adding `chunks`. */
  override get(chunks: readonly Chunk[]): string[] {
    return super.get(chunks) as string[];
  }

  /**
   * {@link get_one} without the array (`undefined`, not `[]`): the body of
   * POE's get_one() LINE loop, from the text chunk first, then the bytes.
   * Internal, for ReadWrite's read loop.
   */
  _nextRecord(): string | undefined {
    const chunk = this.#chunk;
    if (chunk !== undefined) {
      const line = this.#chunkLine(chunk);
      if (line !== undefined) return line;
    }
    const line = this.#line;
    if (line !== undefined) {
      this.#line = undefined;
      this.#lineBytes = undefined;
      return line;
    }
    return this.#nextBufferedLine();
  }

  /**
   * Ports POE::Filter::Line::put: each record with the output terminator appended.
   *
   * Differs from POE: chunks are strings when `Encoding` is UTF-8 and both the
   * record and the terminator are strings; otherwise Buffers.
   */
  put(records: readonly unknown[]): Array<string | Buffer> {
    return terminate(records, this.#output, this.#stringOutput, this.#encoding);
  }

  /** put([record])'s one chunk when it is a string (ReadWrite's write path), else undefined. */
  _terminateOne(record: unknown): string | undefined {
    return terminateString(record, this.#output, this.#stringOutput);
  }

  /** Ports POE::Filter::Line::get_pending: `[bytes]` not yet parsed, or `undefined`. */
  get_pending(): Buffer[] | undefined {
    this.#fold();
    return this.#buffer.length === 0 ? undefined : [Buffer.from(this.#buffer.view())];
  }

  /** Ports POE::Filter::clone: same terminators (an autodetected one included) and bounds, empty buffer. */
  clone(): FilterLine {
    const twin = new FilterLine();
    twin.#mode = this.#mode;
    twin.#literal = this.#literal;
    twin.#literalText = this.#literalText;
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
    this.#literalText = this.#literal.toString("latin1");
  }

  // ---------------------------------------------------------------------------
  // Parsing

  // The LINE loop over the byte buffer (no text chunk is pending).
  #nextBufferedLine(): string | undefined {
    for (;;) {
      if (this.#discarding && !this.#discardLine()) return undefined;
      if (this.#auto === AUTO_SECOND) {
        if (this.#buffer.length === 0) return undefined;
        this.#completeNewline();
        continue;
      }
      if (this.#buffer.length === 0 && this.#rest === undefined) {
        // What the search and the checks below would conclude, without them.
        this.#drained = true;
        return undefined;
      }
      const lineEnd = this.#find();
      if (lineEnd < 0) {
        if (this.#rest !== undefined) {
          if (this.#startChunk(this.#rest, undefined)) {
            this.#rest = undefined;
            return this._nextRecord();
          }
          this.#fold();
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
    const found = earliest(lf, cr);
    if (found < 0) return -1;
    const twoBytes = found + 1 < this.#buffer.length && pairsWith(this.#buffer.at(found), this.#buffer.at(found + 1));
    this.#termEnd = found + (twoBytes ? 2 : 1);
    return found;
  }

  #findRegexp(): number {
    if (this.#text === undefined) {
      this.#textFrom = this.#scan;
      this.#text = this.#buffer.text("latin1", this.#scan, this.#buffer.length);
    }
    const match = searchRegexp(this.#regexp as RegExp, this.#text, this.#scan - this.#textFrom);
    if (match === undefined) {
      this.#scan = Math.max(0, this.#buffer.length - REGEXP_SLACK + 1);
      return -1;
    }
    this.#termEnd = match[1] + this.#textFrom;
    return match[0] + this.#textFrom;
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
    if (pairsWith(first, next)) {
      this.#setLiteral(Buffer.from([first, next]));
      this.#consume(1);
    }
    this.#auto = AUTO_DONE;
  }

  // A large chunk arriving after a partial line is not copied whole to join
  // it: only its head, through its first line end, is appended; the rest is
  // kept aside for when the buffer is empty. Only when that cannot change
  // where lines end: no terminator pending, a one-byte-decided terminator.
  #splitChunk(chunk: Buffer): boolean {
    const pending = this.#buffer.length;
    if (pending === 0 || !this.#drained || this.#discarding || this.#auto !== AUTO_DONE) return false;
    if (chunk.length < SMALL_CHUNK || pending + chunk.length > this.#maxBuffer) return false;
    const cut = !this.#oneByteTerminator() ? -1 : this.#mode === "newline" ? cutAfterNewline(chunk) : cutAfterByte(chunk, this.#literal[0] as number);
    if (cut < 0 || cut >= chunk.length) return false;
    const head = chunk.subarray(0, cut);
    this.#buffer.append([head], cut);
    this.#rest = chunk.subarray(cut);
    this.#appended();
    return true;
  }

  // POE's default newline or a one-byte Literal: where a line ends is seen
  // at one byte (a CR or LF, or the Literal), so a read boundary cannot cut
  // a terminator into pieces neither side recognises.
  #oneByteTerminator(): boolean {
    return this.#mode === "newline" || (this.#mode === "literal" && this.#literal.length === 1);
  }

  // Bytes were appended: a search may succeed again, and decoded text is stale.
  #appended(): void {
    this.#drained = false;
    this.#text = undefined;
    this.#decoder.reset();
  }

  // A chunk arriving while nothing is pending, in bytes that read as one-byte
  // text, under the default newline or a Literal, is kept as text (ChunkText):
  // #chunkLine cuts lines from it until it is used up or the bytes are needed
  // (#fold). A short chunk not ending as a line does is not worth decoding.
  // With `carry`, the pending bytes are that chunk's tail, which becomes the
  // new chunk's head, within MaxBuffer.
  #startChunk(chunk: Buffer, carry: ChunkText | undefined): boolean {
    if (this.#buffer.length !== 0 || this.#discarding || this.#auto !== AUTO_DONE || this.#mode === "regexp") return false;
    const pending = carry === undefined ? 0 : carry.size - carry.at;
    if (chunk.length === 0 || pending + chunk.length > this.#maxBuffer) return false;
    const last = chunk[chunk.length - 1];
    const endsLine = this.#mode === "newline" ? last === LF || last === CR : last === this.#literal[this.#literal.length - 1];
    if ((chunk.length < SMALL_CHUNK && !endsLine) || !this.#decoder.readsAsLatin1(chunk)) return false;
    const text = new ChunkText(chunk, this.#mode === "newline" ? undefined : this.#literalText, this.#maxLength);
    if (carry !== undefined) {
      text.head = carry.text.slice(carry.at);
      text.headBytes = carry.bytes.subarray(carry.at);
      this.#carry = undefined;
    }
    this.#chunk = text;
    this.#appended();
    return true;
  }

  // A short chunk that is exactly one line, with nothing pending (an
  // interactive peer's usual read): see wholeLine(). Under POE's default
  // newline or a one-byte Literal, in an encoding that decodes a CR or LF
  // byte, and no other, as that character (UTF-8, latin1).
  #startLine(chunk: Buffer): boolean {
    if (chunk.length >= SMALL_CHUNK || chunk.length > this.#maxBuffer || this.#buffer.length !== 0 || this.#discarding || this.#auto !== AUTO_DONE || !this.#decoder.bytewise) return false;
    if (!this.#oneByteTerminator()) return false;
    const line = wholeLine(chunk, this.#encoding, this.#mode === "newline" ? undefined : this.#literalText, this.#maxLength);
    if (line === undefined) return false;
    // Nothing was appended: the byte buffer's search state still holds.
    this.#line = line;
    this.#lineBytes = chunk;
    return true;
  }

  // The next line of the text chunk. Without a terminator, or over
  // MaxLength, the rest goes to the buffer, where the byte path reports it,
  // unless it can wait as text for the next chunk (#carry): a tail with no
  // terminator in it, within MaxLength, under a terminator one byte long (a
  // longer Literal could be cut in two).
  #chunkLine(chunk: ChunkText): string | undefined {
    const line = chunk.nextLine();
    if (line === undefined) this.#chunkEnd(chunk);
    else if (chunk.at === chunk.size) this.#chunk = undefined;
    return line;
  }

  // The text chunk has no further line (out of the read loop's inlined code).
  #chunkEnd(chunk: ChunkText): void {
    if (chunk.open && chunk.headBytes === undefined && chunk.size - chunk.at <= this.#maxLength && this.#oneByteTerminator()) {
      this.#chunk = undefined;
      this.#carry = chunk;
    } else this.#fold();
  }

  // Append the bytes kept outside the buffer, if any: the tail kept aside
  // by #splitChunk, what is left of the text chunk or the carried one, or
  // the one-line chunk whose line is not taken yet (only one of them).
  #fold(): void {
    const chunk = this.#chunk ?? this.#carry;
    const bytes = this.#rest ?? this.#lineBytes;
    const rest = chunk !== undefined ? chunk.untaken() : bytes === undefined ? undefined : [bytes];
    this.#chunk = undefined;
    this.#carry = undefined;
    this.#rest = undefined;
    this.#line = undefined;
    this.#lineBytes = undefined;
    if (rest === undefined) return;
    this.#buffer.append(rest, totalLength(rest));
    this.#appended();
  }

  #takeLine(lineEnd: number, termEnd: number): string {
    if (lineEnd > this.#maxLength) {
      this.#consume(termEnd);
      throw lineLengthError(this.#maxLength, lineEnd, "");
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
    throw lineLengthError(this.#maxLength, least, " buffered without a line end");
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
    this.#chunk = undefined;
    this.#carry = undefined;
    this.#line = undefined;
    this.#lineBytes = undefined;
    this.#drained = false;
    this.#scan = 0;
    this.#text = undefined;
    this.#decoder.reset();
    this.#lf = { at: -2, to: 0 };
    this.#cr = { at: -2, to: 0 };
  }
}
