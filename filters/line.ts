// POE::Filter::Line: records are lines of text, ended by a terminator.

import { Buffer } from "node:buffer";
import { ByteBuffer, totalLength } from "./byte-buffer.js";
import { cutAfterByte, cutAfterNewline } from "./line-scan.js";
import { AUTO_DONE, AUTO_FIRST, AUTO_SECOND, LineSearch } from "./line-search.js";
import { lineLengthError, readLineSettings, TYPE, type FilterLineParams } from "./line-params.js";
import { ChunkText, LineDecoder, terminate, terminateString, wholeLine } from "./line-text.js";
import { Filter, maxBufferError, toBuffer } from "./filter.js";
import type { Chunk } from "./filter.js";

export type { FilterLineParams } from "./line-params.js";

const CR = 0x0d;
const LF = 0x0a;
// Copying a chunk shorter than this costs less than splitting it, and reading
// it as text pays only when it ends as a line does.
const SMALL_CHUNK = 1024;

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
  // The input terminator, and where lines end in #buffer.
  #search = new LineSearch(this.#buffer);
  // Set from readLineSettings() in the constructor; typed defaults here keep
  // V8's field representations (a number stays a small integer).
  #output: string | Buffer = "\r\n";
  #encoding: BufferEncoding = "utf8";
  #decoder: LineDecoder;
  #stringOutput = true;
  #maxLength = 0;
  #maxBuffer = 0;
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
    // While autodetecting, the mode is "newline": the search looks for POE's.
    this.#search.use(settings.mode, settings.literal, settings.regexp, settings.autodetect ? AUTO_FIRST : AUTO_DONE);
    this.#output = settings.output;
    this.#encoding = settings.encoding;
    this.#decoder = new LineDecoder(settings.encoding);
    this.#stringOutput = settings.stringOutput;
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
    if (this.#buffer.length === 0 && this.#rest === undefined && !this.#discarding && this.#search.auto !== AUTO_SECOND) {
      // #nextBufferedLine's first answer, without the call: V8 then leaves
      // that loop out of the read loop it inlines this into, which leaves
      // room there for the handler's `_`.
      this.#drained = true;
      return undefined;
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
    const { mode, literal, regexp, auto } = this.#search;
    twin.#search.use(mode, literal, regexp === undefined ? undefined : new RegExp(regexp.source, regexp.flags), auto);
    twin.#output = this.#output;
    twin.#encoding = this.#encoding;
    twin.#decoder = new LineDecoder(this.#encoding);
    twin.#stringOutput = this.#stringOutput;
    twin.#maxLength = this.#maxLength;
    twin.#maxBuffer = this.#maxBuffer;
    return twin;
  }

  // ---------------------------------------------------------------------------
  // Parsing

  // The LINE loop over the byte buffer (no text chunk is pending).
  #nextBufferedLine(): string | undefined {
    for (;;) {
      if (this.#discarding && !this.#discardLine()) return undefined;
      if (this.#search.auto === AUTO_SECOND) {
        if (this.#buffer.length === 0) return undefined;
        this.#search.completeNewline();
        continue;
      }
      if (this.#buffer.length === 0 && this.#rest === undefined) {
        // What the search and the checks below would conclude, without them.
        this.#drained = true;
        return undefined;
      }
      const lineEnd = this.#search.find();
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
      const termEnd = this.#search.termEnd;
      if (this.#search.auto === AUTO_FIRST) this.#search.detect(lineEnd, termEnd);
      return this.#takeLine(lineEnd, termEnd);
    }
  }

  // A large chunk arriving after a partial line is not copied whole to join
  // it: only its head, through its first line end, is appended; the rest is
  // kept aside for when the buffer is empty. Only when that cannot change
  // where lines end: no terminator pending, a one-byte-decided terminator.
  #splitChunk(chunk: Buffer): boolean {
    const pending = this.#buffer.length;
    const search = this.#search;
    if (pending === 0 || !this.#drained || this.#discarding || search.auto !== AUTO_DONE) return false;
    if (chunk.length < SMALL_CHUNK || pending + chunk.length > this.#maxBuffer) return false;
    const cut = !search.oneByte() ? -1 : search.mode === "newline" ? cutAfterNewline(chunk) : cutAfterByte(chunk, search.literal[0] as number);
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
    this.#search.appended();
    this.#decoder.reset();
  }

  // A chunk arriving while nothing is pending, in bytes that read as one-byte
  // text, under the default newline or a Literal, is kept as text (ChunkText):
  // #chunkLine cuts lines from it until it is used up or the bytes are needed
  // (#fold). A short chunk not ending as a line does is not worth decoding.
  // With `carry`, the pending bytes are that chunk's tail, which becomes the
  // new chunk's head, within MaxBuffer.
  #startChunk(chunk: Buffer, carry: ChunkText | undefined): boolean {
    const search = this.#search;
    if (this.#buffer.length !== 0 || this.#discarding || search.auto !== AUTO_DONE || search.mode === "regexp") return false;
    const pending = carry === undefined ? 0 : carry.size - carry.at;
    if (chunk.length === 0 || pending + chunk.length > this.#maxBuffer) return false;
    const last = chunk[chunk.length - 1];
    const literal = search.literal;
    const endsLine = search.mode === "newline" ? last === LF || last === CR : last === literal[literal.length - 1];
    if ((chunk.length < SMALL_CHUNK && !endsLine) || !this.#decoder.readsAsLatin1(chunk)) return false;
    const text = new ChunkText(chunk, search.mode === "newline" ? undefined : search.literalText, this.#maxLength);
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
    const search = this.#search;
    if (chunk.length >= SMALL_CHUNK || chunk.length > this.#maxBuffer || this.#buffer.length !== 0 || this.#discarding || search.auto !== AUTO_DONE || !this.#decoder.bytewise) return false;
    if (!search.oneByte()) return false;
    const line = wholeLine(chunk, this.#encoding, search.mode === "newline" ? undefined : search.literalText, this.#maxLength);
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
    if (chunk.open && chunk.headBytes === undefined && chunk.size - chunk.at <= this.#maxLength && this.#search.oneByte()) {
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
      this.#search.consume(termEnd);
      throw lineLengthError(this.#maxLength, lineEnd, "");
    }
    const buffer = this.#buffer;
    const line = this.#decoder.decode(buffer.bytes, buffer.start, buffer.start + lineEnd, buffer.start + buffer.length);
    this.#search.consume(termEnd);
    return line;
  }

  // Nothing terminates the buffered bytes. If they already make a line
  // longer than MaxLength, fail now rather than buffer up to MaxBuffer.
  #checkUnterminated(): void {
    const length = this.#buffer.length;
    const least = length - this.#search.keep();
    if (least <= this.#maxLength) return;
    this.#search.consume(least);
    this.#discarding = true;
    throw lineLengthError(this.#maxLength, least, " buffered without a line end");
  }

  // After a bound error: drop input up to and including the next terminator.
  #discardLine(): boolean {
    if (!this.#search.discard()) return false;
    this.#discarding = false;
    return true;
  }

  #reset(): void {
    this.#buffer.clear();
    this.#rest = undefined;
    this.#chunk = undefined;
    this.#carry = undefined;
    this.#line = undefined;
    this.#lineBytes = undefined;
    this.#drained = false;
    this.#search.reset();
    this.#decoder.reset();
  }
}
