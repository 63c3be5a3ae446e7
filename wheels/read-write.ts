/**
 * POE::Wheel::ReadWrite on Node streams: records in through a filter as
 * InputEvent, records out through a filter and a buffer, errors as tuples.
 *
 * Writing, with the water marks (POE: the write watcher's handler):
 *
 *   put() ─► filter.put ─► buffer (octets += n) ─┬─ octets >= HighMark: high water,
 *                                                │    HighEvent (once per crossing)
 *          a microtask later (POE: a later I/O    │
 *          phase) the buffer goes to the stream ◄─┘
 *          in one write()
 *                          write callback: octets -= batch
 *                          ├─ high water and octets <= LowMark: LowEvent
 *                          └─ octets == 0: FlushedEvent
 */
import { Socket } from "node:net";
import type { Readable, Writable } from "node:stream";
import { DESTROY, poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";
import type { Filter } from "../filters/index.js";
import { errorTuple, tupleFor, type ErrorTuple } from "./errors.js";
import { claim, swallowError } from "./handoff.js";
import { OutputBuffer } from "./output-buffer.js";
import { asFilter, readConfig, type WheelReadWriteParams } from "./read-write-params.js";
import { allocateWheelId, defined, freeWheelId, owningSession, readParams } from "./wheel.js";

export type { WheelReadWriteParams } from "./read-write-params.js";

const TYPE = "POE::Wheel::ReadWrite";
const WHEEL = Symbol("poe-ts.ReadWrite");
/** Internal entry points for the stream listeners at the end of this file. */
const ON_DATA = Symbol("onData");
const ON_END = Symbol("onEnd");
const ON_ERROR = Symbol("onError");

type EventName = string | undefined;

/**
 * Buffered, filtered I/O on a stream for the session that creates it.
 *
 * Ports POE::Wheel::ReadWrite.
 * Differs from POE: HighEvent fires when put() takes the buffer across
 * HighMark (POE never fires it); writes happen a microtask after put(), not
 * in a later select() pass; destroying the wheel closes its socket.
 *
 * @example
 * heap.wheel = POE.Wheel.ReadWrite.new({ Handle: socket, InputEvent: "got_line", ErrorEvent: "got_error" });
 * heap.wheel.put("hello");
 */
export class WheelReadWrite {
  #session: Session;
  #id: number;
  #input: Readable | undefined;
  #output: Writable | undefined;
  #inputFilter: Filter;
  #outputFilter: Filter;
  #inputEvent: EventName;
  #errorEvent: EventName;
  #flushedEvent: EventName;
  #highEvent: EventName;
  #lowEvent: EventName;
  #highMark: number | undefined;
  #lowMark: number | undefined;
  #highWater = false;
  #highAnnounce = false;
  #autoFlush: boolean;
  #buffer = new OutputBuffer();
  #reading = false;
  #paused = false;
  #writing = true;
  #held = false;
  #destroyed = false;
  #flushQueued = false;
  #chunk: unknown = undefined;
  readonly #readState: string;
  readonly #writeState: string;

  /**
   * Ports POE::Wheel::ReadWrite->new.
   * @throws Error "Handle or InputHandle required", "Water mark errors", or when not called from a session's handler.
   */
  static new(params: WheelReadWriteParams): WheelReadWrite {
    return new WheelReadWrite(params);
  }

  constructor(params: WheelReadWriteParams) {
    const bag = readParams<WheelReadWriteParams>(TYPE, params);
    this.#session = owningSession(TYPE);
    const config = readConfig(TYPE, bag);
    this.#input = config.input;
    this.#output = config.output;
    this.#inputFilter = config.inputFilter;
    this.#outputFilter = config.outputFilter;
    this.#inputEvent = bag.InputEvent;
    this.#errorEvent = bag.ErrorEvent;
    this.#flushedEvent = bag.FlushedEvent;
    this.#highMark = bag.HighMark;
    this.#lowMark = bag.LowMark;
    this.#highEvent = bag.HighEvent;
    this.#lowEvent = bag.LowEvent;
    this.#autoFlush = Boolean(bag.AutoFlush);
    this.#id = allocateWheelId();
    this.#readState = `${TYPE}(${this.#id}) -> select read`;
    this.#writeState = `${TYPE}(${this.#id}) -> select write`;
    this.#attach();
    poeKernel._wheelAdopt(this.#session, this);
    this.#watchInput();
    this.#updateHold();
  }

  /**
   * Filter `records` and buffer them for writing. Returns true when
   * HighMark is set and the buffer is at or above it.
   *
   * Ports POE::Wheel::ReadWrite::put.
   * Differs from POE: entering high water queues HighEvent.
   */
  put(...records: unknown[]): boolean {
    if (this.#destroyed) return false;
    const before = this.#buffer.octets;
    const after = this.#buffer.put(this.#outputFilter.put(records));
    if (this.#writing && after > 0) {
      if (this.#autoFlush && before === 0) this.flush();
      else this.#queueFlush();
    }
    const high = defined(this.#highMark) && this.#highMark > 0 && this.#buffer.octets >= this.#highMark;
    if (high && !this.#highWater && defined(this.#highEvent)) this.#highAnnounce = true;
    this.#highWater = high;
    return high;
  }

  /**
   * Rename events: `event("InputEvent", "got_line", "ErrorEvent", "oops")`
   * or `event({ InputEvent: "got_line" })`. An undefined InputEvent stops reading.
   *
   * Ports POE::Wheel::ReadWrite::event.
   */
  event(...pairs: unknown[]): void {
    for (const [name, value] of eventPairs(pairs)) this.#rename(name, value as EventName);
    this.#watchInput();
    this.#updateHold();
  }

  /** Replace both filters; unread input goes through the new one now. Ports POE::Wheel::ReadWrite::set_filter. */
  set_filter(filter: unknown): void {
    const pending = this.#inputFilter.get_pending();
    const next = asFilter(filter);
    this.#inputFilter = this.#outputFilter = next;
    this.#transferInput(next, pending);
  }

  /** Replace the input filter; unread input goes through it now. Ports POE::Wheel::ReadWrite::set_input_filter. */
  set_input_filter(filter: unknown): void {
    const pending = this.#inputFilter.get_pending();
    const next = asFilter(filter);
    this.#inputFilter = next;
    this.#transferInput(next, pending);
  }

  /** Replace the output filter; what is buffered stays as it is. Ports POE::Wheel::ReadWrite::set_output_filter. */
  set_output_filter(filter: unknown): void {
    this.#outputFilter = asFilter(filter);
  }

  /** Ports POE::Wheel::ReadWrite::get_input_filter. */
  get_input_filter(): Filter {
    return this.#inputFilter;
  }

  /** Ports POE::Wheel::ReadWrite::get_output_filter. */
  get_output_filter(): Filter {
    return this.#outputFilter;
  }

  /** Change HighMark (must stay above LowMark). Ports POE::Wheel::ReadWrite::set_high_mark. */
  set_high_mark(mark: number): void {
    if (!defined(this.#highMark)) return void console.warn("Ignoring high mark (must be initialized in constructor first)");
    if (!defined(mark)) return void console.warn("New high mark is undefined.  Ignored");
    if (!(mark > (this.#lowMark ?? 0))) return void console.warn("New high mark would not be greater than low mark.  Ignored");
    this.#highMark = mark;
  }

  /** Change LowMark (above 0, below HighMark). Ports POE::Wheel::ReadWrite::set_low_mark. */
  set_low_mark(mark: number): void {
    if (!defined(this.#lowMark)) return void console.warn("Ignoring low mark (must be initialized in constructor first)");
    if (!defined(mark)) return void console.warn("New low mark is undefined.  Ignored");
    if (!(mark > 0)) return void console.warn("New low mark would be less than one.  Ignored");
    if (!(mark < (this.#highMark ?? 0))) return void console.warn("New low mark would not be less than high high mark.  Ignored");
    this.#lowMark = mark;
  }

  /** Octets put and not yet taken by the stream. Ports POE::Wheel::ReadWrite::get_driver_out_octets. */
  get_driver_out_octets(): number {
    return this.#buffer.octets;
  }

  /** Chunks put and not yet taken. Ports POE::Wheel::ReadWrite::get_driver_out_messages. */
  get_driver_out_messages(): number {
    return this.#buffer.messages;
  }

  /** The wheel's ID. Ports POE::Wheel::ReadWrite::ID. */
  ID(): number {
    return this.#id;
  }

  /**
   * Stop reading: the stream is paused, so TCP holds the peer back. Records
   * already parsed from the chunk being delivered still arrive, as in POE.
   * Ports POE::Wheel::ReadWrite::pause_input.
   */
  pause_input(): void {
    if (this.#input === undefined || this.#paused) return;
    this.#paused = true;
    if (this.#reading) this.#input.pause();
  }

  /** Read again. Ports POE::Wheel::ReadWrite::resume_input. */
  resume_input(): void {
    if (this.#input === undefined || !this.#paused) return;
    this.#paused = false;
    if (this.#reading) this.#input.resume();
  }

  /** Ports POE::Wheel::ReadWrite::get_input_handle. */
  get_input_handle(): Readable | undefined {
    return this.#input;
  }

  /** Ports POE::Wheel::ReadWrite::get_output_handle. */
  get_output_handle(): Writable | undefined {
    return this.#output;
  }

  /**
   * Stop reading for good. Ports POE::Wheel::ReadWrite::shutdown_input.
   * Differs from POE: Node has no shutdown(SHUT_RD); the stream is paused
   * and no longer watched, and its unread input is left in the kernel.
   */
  shutdown_input(): void {
    if (this.#input === undefined) return;
    this.#inputEvent = undefined;
    this.#stopReading();
    this.#updateHold();
  }

  /**
   * Half-close: send FIN after what was already written; what is still
   * buffered is never written. Ports POE::Wheel::ReadWrite::shutdown_output.
   */
  shutdown_output(): void {
    if (this.#output === undefined || !this.#writing) return;
    this.#writing = false;
    this.#output.end();
    this.#updateHold();
  }

  /** Write what is buffered now instead of later. Ports POE::Wheel::ReadWrite::flush. */
  flush(): void {
    if (this.#output === undefined || !this.#writing || this.#destroyed) return;
    this.#announceHigh();
    if (this.#buffer.hasPending) this.#buffer.write(this.#output, this.#onWritten);
  }

  /**
   * Close the wheel: stop watching, close its socket, free its ID. Called by
   * the kernel when the owning session stops, and by the session's heap on
   * `delete heap.wheel` or when the slot is overwritten.
   *
   * Ports POE::Wheel::ReadWrite::DESTROY.
   * Differs from POE: Perl closes the socket when its last reference goes;
   * the port closes it here, as the wheel is assumed to hold the last one.
   */
  [DESTROY](): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#reading = false;
    this.#writing = false;
    this.#buffer.clear();
    for (const stream of new Set<Readable | Writable | undefined>([this.#input, this.#output])) {
      if (stream === undefined) continue;
      detach(stream, this);
      if (stream instanceof Socket && !isStdio(stream)) stream.destroy();
    }
    this.#updateHold();
    poeKernel._wheelRelease(this.#session, this);
    freeWheelId(this.#id);
  }

  // --- reading -------------------------------------------------------------

  /** One chunk from the stream: POE's read handler, in the session's I/O phase. */
  [ON_DATA](chunk: unknown): void {
    if (!this.#reading) return;
    this.#chunk = chunk;
    poeKernel._ioDispatch(this.#session, this.#readState, this.#readPhase);
  }

  readonly #readPhase = (): void => {
    const chunk = this.#chunk;
    this.#chunk = undefined;
    const filter = this.#inputFilter;
    try {
      if (typeof filter.get_one_start !== "function") return this.#deliverAll(filter.get([chunk]));
      filter.get_one_start([chunk]);
      this.#drain();
    } catch (error) {
      this.#readFailed(error);
    }
  };

  // POE's `while (1) { get_one … call InputEvent }`: the slots are read on
  // every pass, so set_filter() or event() inside a handler take effect at once.
  #drain(): void {
    for (;;) {
      const records = this.#inputFilter.get_one();
      if (records.length === 0) return;
      this.#deliverAll(records);
    }
  }

  #deliverAll(records: readonly unknown[]): void {
    for (const record of records) {
      const event = this.#inputEvent;
      if (event !== undefined) poeKernel.call(this.#session, event, record, this.#id);
    }
  }

  // A filter's bound exceeded or a bad frame: an ErrorEvent naming it, and
  // the stream is not read further. Anything else is the handler's exception.
  #readFailed(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== "string" || !code.startsWith("POE_FILTER_")) throw error;
    const [, errno, errstr] = tupleFor("read", filterErrno(code));
    this.#stopReading();
    this.#updateHold();
    this.#emitError(["read", errno, `${errstr} (${code})`]);
  }

  #transferInput(next: Filter, pending: unknown[] | undefined): void {
    if (pending === undefined) return;
    if (typeof next.get_one_start !== "function") return this.#deliverAll(next.get(pending));
    next.get_one_start(pending);
    while (this.#inputFilter === next) {
      const records = next.get_one();
      if (records.length === 0) return;
      this.#deliverAll(records);
    }
  }

  /** End of stream: `("read", 0, "")`, then the stream is no longer read. */
  [ON_END](): void {
    if (!this.#reading) return;
    poeKernel._ioDispatch(this.#session, this.#readState, () => {
      this.#stopReading();
      this.#updateHold();
      this.#emitError(["read", 0, ""]);
    });
  }

  /** A stream error. Write failures are reported by the write callback instead. */
  [ON_ERROR](error: unknown): void {
    const syscall = (error as { syscall?: unknown } | null)?.syscall;
    if (syscall === "write" || !this.#reading) return;
    poeKernel._ioDispatch(this.#session, this.#readState, () => {
      this.#stopReading();
      this.#updateHold();
      this.#emitError(errorTuple(error, "read"));
    });
  }

  #watchInput(): void {
    if (this.#destroyed || this.#input === undefined) return;
    const want = this.#inputEvent !== undefined;
    if (want && !this.#reading) {
      this.#reading = true;
      this.#input.on("data", streamOnData);
      this.#input.on("end", streamOnEnd);
      if (!this.#paused) this.#input.resume();
    } else if (!want && this.#reading) {
      this.#stopReading();
    }
  }

  #stopReading(): void {
    if (!this.#reading || this.#input === undefined) return;
    this.#reading = false;
    this.#input.removeListener("data", streamOnData);
    this.#input.removeListener("end", streamOnEnd);
    this.#input.pause();
  }

  // --- writing -------------------------------------------------------------

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    poeKernel._defer(this.#deferredFlush);
  }

  readonly #deferredFlush = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  #announceHigh(): void {
    if (!this.#highAnnounce) return;
    this.#highAnnounce = false;
    const event = this.#highEvent;
    if (!this.#highWater || event === undefined) return;
    poeKernel._ioDispatch(this.#session, this.#writeState, () => poeKernel.call(this.#session, event, this.#id));
  }

  readonly #onWritten = (error: Error | null | undefined): void => {
    if (this.#destroyed) return;
    this.#buffer.written();
    if (error) return this.#writeFailed(error);
    const low = this.#highWater && this.#buffer.octets <= (this.#lowMark ?? 0);
    if (low) this.#highWater = false;
    const flushed = this.#buffer.octets === 0;
    const lowEvent = low ? this.#lowEvent : undefined;
    const flushedEvent = flushed ? this.#flushedEvent : undefined;
    if (lowEvent === undefined && flushedEvent === undefined) return;
    poeKernel._ioDispatch(this.#session, this.#writeState, () => {
      if (lowEvent !== undefined) poeKernel.call(this.#session, lowEvent, this.#id);
      if (flushedEvent !== undefined && !this.#destroyed) poeKernel.call(this.#session, flushedEvent, this.#id);
    });
  };

  #writeFailed(error: Error): void {
    if (!this.#writing) return;
    poeKernel._ioDispatch(this.#session, this.#writeState, () => {
      this.#writing = false;
      this.#updateHold();
      this.#emitError(errorTuple(error, "write"));
    });
  }

  // --- bookkeeping ---------------------------------------------------------

  #emitError([operation, errno, errstr]: ErrorTuple): void {
    const event = this.#errorEvent;
    if (event !== undefined) poeKernel.call(this.#session, event, operation, errno, errstr, this.#id);
  }

  #rename(name: string, value: EventName): void {
    if (name === "InputEvent") this.#inputEvent = value;
    else if (name === "ErrorEvent") this.#errorEvent = value;
    else if (name === "FlushedEvent") this.#flushedEvent = value;
    else if (name === "HighEvent") {
      if (defined(this.#highMark)) this.#highEvent = value;
      else console.warn("Ignoring HighEvent (there is no high watermark set)");
    } else if (name === "LowEvent") {
      if (defined(this.#lowMark)) this.#lowEvent = value;
      else console.warn("Ignoring LowEvent (there is no high watermark set)");
    } else console.warn(`ignoring unknown ReadWrite parameter '${name}'`);
  }

  #attach(): void {
    for (const stream of new Set<Readable | Writable | undefined>([this.#input, this.#output])) {
      if (stream === undefined) continue;
      claim(stream);
      (stream as unknown as Record<symbol, unknown>)[WHEEL] = this;
      if (!stream.listeners("error").includes(swallowError)) stream.on("error", swallowError);
      stream.on("error", streamOnError);
    }
    // A socket from SocketFactory or a paused-on-connect server is paused;
    // it stays so until the wheel reads.
    this.#input?.pause();
  }

  // POE counts one watched handle while a read or write watcher exists,
  // paused or not: a ReadWrite keeps its session alive until it is destroyed,
  // or until both directions are shut down or have failed.
  #updateHold(): void {
    const want = !this.#destroyed && (this.#reading || this.#writing);
    if (want === this.#held) return;
    this.#held = want;
    if (want) poeKernel._handleHold(this.#session);
    else poeKernel._handleRelease(this.#session);
  }
}

// ---------------------------------------------------------------------------
// Stream listeners: one set of functions for every wheel, reaching the wheel
// through the stream (`this`), as ws does with socketOnData.

function wheelOf(stream: unknown): WheelReadWrite | undefined {
  return (stream as Record<symbol, WheelReadWrite | undefined>)[WHEEL];
}

function streamOnData(this: Readable, chunk: unknown): void {
  wheelOf(this)?.[ON_DATA](chunk);
}

function streamOnEnd(this: Readable): void {
  wheelOf(this)?.[ON_END]();
}

function streamOnError(this: Readable, error: unknown): void {
  wheelOf(this)?.[ON_ERROR](error);
}

function detach(stream: Readable | Writable, wheel: WheelReadWrite): void {
  stream.removeListener("data", streamOnData);
  stream.removeListener("end", streamOnEnd);
  stream.removeListener("error", streamOnError);
  const slots = stream as unknown as Record<symbol, unknown>;
  if (slots[WHEEL] === wheel) delete slots[WHEEL];
}

function isStdio(stream: unknown): boolean {
  return stream === process.stdin || stream === process.stdout || stream === process.stderr;
}

/** The errno a filter error code is reported with. */
function filterErrno(code: string): string {
  return code === "POE_FILTER_MAX_LENGTH" || code === "POE_FILTER_MAX_BUFFER" ? "EMSGSIZE" : "EBADMSG";
}

/** `event()`'s arguments as pairs: a flat list (odd length: the last value is undefined) or one object. */
export function eventPairs(args: readonly unknown[]): Array<[string, unknown]> {
  const [first] = args;
  if (args.length === 1 && first !== null && typeof first === "object") return Object.entries(first as object);
  const pairs: Array<[string, unknown]> = [];
  for (let i = 0; i < args.length; i += 2) pairs.push([String(args[i]), args[i + 1]]);
  return pairs;
}
