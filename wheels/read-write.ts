/**
 * POE::Wheel::ReadWrite on Node streams: records in through a filter as
 * InputEvent, records out through a filter and a buffer, errors as tuples.
 *
 * Writing, with the water marks (POE: the write watcher's handler):
 *
 *   put() ─► filter.put ─► buffer (octets += n) ─┬─ octets >= HighMark: high water,
 *                                                │    HighEvent (once per crossing)
 *          in POE's next I/O phase (the kernel's │
 *          _deferIO, after the timeslice's       │
 *          events) the buffer goes to the stream ◄┘
 *          in one write()
 *                          taken at once (in that I/O phase) or write
 *                          callback (later): octets -= batch
 *                          ├─ high water and octets <= LowMark: LowEvent
 *                          └─ octets == 0: FlushedEvent
 *
 * Write-ahead: what a socket read's handlers put (or the handlers of the
 * SuccessEvent that delivers a connected socket, on a wheel made there)
 * goes to the socket as that callback returns, instead of in the I/O
 * phase, when POE would run nothing of that socket's in between; with
 * other sessions' events due the batch still completes in the I/O phase
 * (see [ON_DATA] and #aheadWrite).
 */
import { Socket } from "node:net";
import type { Readable, Writable } from "node:stream";
import { DESTROY, poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";
import { FilterLine, type Filter } from "../filters/index.js";
import { errorTuple, tupleFor, type ErrorTuple } from "./errors.js";
import { OutputBuffer } from "./output-buffer.js";
import { asFilter, eventsOf, readConfig, renameEvent, type ReadWriteConfig, type WheelEvents, type WheelReadWriteParams } from "./read-write-params.js";
import { allocateWheelId, defined, freeWheelId, owningSession, readParams } from "./wheel.js";
import { eventPairs } from "./event-pairs.js";
import { ON_CONNECTED, ON_DATA, ON_END, ON_ERROR, attachStreams, filterErrno, isConnecting, releaseStreams, startReading, stopReading } from "./read-write-streams.js";
import { HandleHold } from "./handle-hold.js";
import { WaterMarks } from "./water-marks.js";

export type { WheelReadWriteParams } from "./read-write-params.js";

const TYPE = "POE::Wheel::ReadWrite";
const LINE_GET_ONE = FilterLine.prototype.get_one;
const LINE_NEXT = FilterLine.prototype._nextRecord;
const LINE_START = FilterLine.prototype.get_one_start;
const LINE_PUT = FilterLine.prototype.put;
/** libuv's read size: a shorter chunk means the socket is not read again in this poll. */
const LIBUV_READ_SIZE = 65536;
/** libuv's events per epoll_wait: after a poll that returns this many, it polls again within the same phase. */
const LIBUV_POLL_EVENTS = 1024;
/** Under LIBUV_POLL_EVENTS: this many reads in a poll write ahead without counting the process's handles. */
const READS_PER_POLL = 512;
/**
 * Descriptors libuv and Node may watch beyond the handles that
 * process.getActiveResourcesInfo() lists (which leaves out unreferenced
 * handles): libuv's wake-up eventfd and signal pipe, an io_uring or
 * inotify descriptor, stdio. Four were watched in tcp_many_clients' client.
 */
const UNLISTED_FDS = 16;
/**
 * Reads (and connections that wrote ahead) over all wheels, at least those
 * of the current poll phase: once it reaches half of READS_PER_POLL it is
 * reset in the check phase that follows the poll, so it spans fewer than
 * that many earlier reads. (It used to be reset only by a turn of the
 * kernel's, which does not turn while nothing is due, and then counted the
 * reads of many polls.)
 */
let readsCounted = 0;
/** Whether libuv cannot poll again in this phase, once past READS_PER_POLL (reset with the count). */
let pollHasRoomCached: boolean | undefined;
const resetReads = (): void => {
  readsCounted = 0;
  pollHasRoomCached = undefined;
};

/** Count a read (or a connection writing ahead) of the current poll phase. */
function countRead(): void {
  if (++readsCounted === READS_PER_POLL / 2) poeKernel._afterPoll(resetReads);
}

/**
 * True when a reply to what is written now cannot be read in this poll
 * phase: libuv polls again within a phase only after an epoll_wait that
 * returned LIBUV_POLL_EVENTS events. Fewer than READS_PER_POLL reads
 * counted pass; past that, the process must have too few handles for that
 * many descriptors, counted once per phase: the handles, requests and
 * timers Node lists (timers and requests have no descriptor, so this can
 * only overcount what it lists; a handle closed in this phase is listed
 * until the close phase) and UNLISTED_FDS more.
 */
function pollHasRoom(): boolean {
  if (readsCounted < READS_PER_POLL) return true;
  return (pollHasRoomCached ??= process.getActiveResourcesInfo().length + UNLISTED_FDS < LIBUV_POLL_EVENTS);
}

/** A wheel's private state name, as POE's trace shows it: `POE::Wheel::ReadWrite(7) -> select read`. */
function stateName(id: number, what: "read" | "write"): string {
  return `${TYPE}(${id}) -> select ${what}`;
}

/**
 * Buffered, filtered I/O on a stream for the session that creates it.
 *
 * Ports POE::Wheel::ReadWrite.
 * Differs from POE: HighEvent fires when put() takes the buffer across
 * HighMark (POE never fires it); destroying the wheel closes its socket.
 *
 * @example
 * heap.wheel = POE.Wheel.ReadWrite.new({ Handle: socket, InputEvent: "got_line", ErrorEvent: "got_error" });
 * heap.wheel.put("hello");
 */
export class WheelReadWrite {
  readonly #session: Session;
  readonly #id: number;
  #input: Readable | undefined;
  #output: Writable | undefined;
  #inputFilter!: Filter;
  #outputFilter!: Filter;
  readonly #events: WheelEvents;
  #marks: WaterMarks;
  #autoFlush: boolean;
  #buffer = new OutputBuffer();
  #reading = false;
  #paused = false;
  /** Bytes Node held when reading (re)started, still to be delivered. */
  #buffered = 0;
  /** The socket written ahead (one socket for both directions), if any. */
  #aheadSocket: Socket | undefined;
  /** A socket read's (or its connection's) handlers are running (write-ahead), and have put. */
  #inRead = false;
  #putInRead = false;
  /** Batches written ahead of due events, to complete in the I/O phase. */
  #aheadBatches: number;
  #writing: boolean;
  #hold: HandleHold;
  #destroyed: boolean;
  #flushQueued = false;
  #chunk: unknown = undefined;
  readonly #readState: string;

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
    // Assigned here, not by initializers: they change only when a wheel
    // shuts down or is destroyed, and V8 would otherwise treat them as
    // constant until then (see Actor's constructor).
    this.#writing = true;
    this.#destroyed = false;
    this.#aheadBatches = 0;
    this.#hold = new HandleHold(this.#session);
    const config = readConfig(TYPE, bag);
    this.#events = eventsOf(bag);
    this.#marks = new WaterMarks(bag.HighMark, bag.LowMark);
    this.#autoFlush = Boolean(bag.AutoFlush);
    this.#id = allocateWheelId();
    this.#readState = stateName(this.#id, "read");
    this.#start(config);
  }

  // The constructor's second half, apart to keep each small: one wheel per
  // connection, and V8 (11.3) compiles a large constructor, with its
  // callees inlined, after a few hundred connections, where these two
  // wait for more than a thousand (docs/benchmarks.md, run Q). The streams
  // and filters; then take the streams over, join the session, and read
  // when there is an InputEvent.
  #start(config: ReadWriteConfig): void {
    this.#input = config.input;
    this.#output = config.output;
    this.#aheadSocket = config.input instanceof Socket && config.input === config.output ? config.input : undefined;
    // Made in the handlers of the SuccessEvent that delivers its socket: what they put may go ahead.
    this.#inRead = this.#aheadSocket !== undefined && isConnecting(this.#aheadSocket);
    this.#inputFilter = config.inputFilter;
    this.#outputFilter = config.outputFilter;
    attachStreams(this.#input, this.#output, this);
    poeKernel._wheelAdopt(this.#session, this);
    this.#watchInput();
    this.#updateHold();
  }

  /**
   * Filter `records` and buffer them for writing; true when at or above HighMark.
   * Ports POE::Wheel::ReadWrite::put.
   * Differs from POE: entering high water queues HighEvent.
   */
  put(...records: unknown[]): boolean {
    if (this.#destroyed) return false;
    const before = this.#buffer.octets;
    const filter = this.#outputFilter;
    // One record that an unchanged Filter.Line makes one string: no lists in between.
    const line = records.length === 1 && filter.put === LINE_PUT ? (filter as FilterLine)._terminateOne(records[0]) : undefined;
    const after = line !== undefined ? this.#buffer.putString(line) : this.#buffer.put(filter.put(records));
    if (this.#writing && after > 0) {
      if (this.#autoFlush && before === 0) this.flush();
      else if (this.#inRead) this.#putInRead = true;
      else this.#queueFlush();
    }
    return this.#marks.afterPut(this.#buffer.octets);
  }

  /**
   * Rename events: `event("InputEvent", "got_line", "ErrorEvent", "oops")` or
   * `event({ InputEvent: "got_line" })`; an undefined InputEvent stops reading.
   * Ports POE::Wheel::ReadWrite::event.
   */
  event(...pairs: unknown[]): void {
    for (const [name, value] of eventPairs(pairs)) renameEvent(this.#events, this.#marks, name, value);
    this.#watchInput();
    this.#updateHold();
  }

  /** Replace both filters; unread input goes through the new one now. Ports POE::Wheel::ReadWrite::set_filter. */
  set_filter(filter: unknown): void {
    this.#outputFilter = asFilter(filter);
    this.set_input_filter(this.#outputFilter);
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
    this.#marks.setHigh(mark);
  }

  /** Change LowMark (above 0, below HighMark). Ports POE::Wheel::ReadWrite::set_low_mark. */
  set_low_mark(mark: number): void {
    this.#marks.setLow(mark);
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
    if (!this.#reading) return;
    this.#buffered = this.#input.readableLength;
    this.#input.resume();
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
    this.#events.InputEvent = undefined;
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
    this.#flush(false);
  }

  // POE's select-write handler. In the kernel's I/O phase (`atOnce`) the
  // socket may take the write before write() returns, with no callback
  // and no tick of Node's: the batch is done now when that fires no event,
  // else in the tick where Node's write callback would have run, so
  // LowEvent and FlushedEvent keep their place. flush() from a handler
  // always waits for the write callback.
  #flush(atOnce: boolean): void {
    if (this.#output === undefined || !this.#writing || this.#destroyed) return;
    if (this.#aheadBatches > 0) this.#completeAhead();
    this.#announceHigh();
    if (this.#buffer.hasPending && this.#buffer.write(this.#output, this.#onWritten, atOnce)) this.#written();
  }

  // A batch taken at once (in the I/O phase, or written ahead).
  #written(): void {
    if (defined(this.#events.FlushedEvent) || this.#marks.inHighWater) poeKernel._tick(this.#onWritten, undefined);
    else this.#onWritten(undefined);
  }

  /**
   * Close the wheel: stop watching, close its socket, free its ID. Called by
   * the kernel when the owning session stops, and by the session's heap on
   * `delete heap.wheel` or when the slot is overwritten.
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
    releaseStreams(this.#input, this.#output, this);
    this.#updateHold();
    poeKernel._wheelRelease(this.#session, this);
    freeWheelId(this.#id);
  }

  // --- reading -------------------------------------------------------------

  /** One chunk from the stream: POE's read handler, in the session's I/O phase. */
  [ON_DATA](chunk: unknown): void {
    if (!this.#reading) return;
    // A chunk Node held while the wheel was not reading comes from a tick,
    // not from a read in libuv's poll phase.
    const held = this.#buffered > 0;
    if (held) this.#buffered -= (chunk as { length: number }).length;
    countRead();
    this.#chunk = chunk;
    // put() from the read's handlers leaves the write to the end of this
    // callback (write-ahead), unless the chunk was held.
    this.#inRead = !held;
    try {
      poeKernel._ioDispatch(this.#session, this.#readState, this.#readPhase);
    } finally {
      this.#inRead = false;
    }
    if (!this.#putInRead) return;
    this.#putInRead = false;
    // What the read's handlers put goes to the socket now when there is no
    // end of stream or further read of this socket in this poll (libuv
    // reads again only after a full 64 KiB chunk; data and an EOF Node held
    // while the wheel was not reading come together, from a tick, and are
    // left out), then as #aheadWrite says; else in the I/O phase.
    const socket = this.#aheadSocket;
    const ahead = socket !== undefined && !this.#destroyed && this.#writing && chunk instanceof Uint8Array && chunk.length < LIBUV_READ_SIZE && socket.readableLength === 0;
    if (!ahead || !this.#aheadWrite(socket)) this.#queueFlush();
  }

  /**
   * The connection this wheel was made on in its SuccessEvent's handlers
   * is made, and they have returned: what they put goes out now, as a
   * read's does (the socket is not read in the poll that connected it).
   */
  [ON_CONNECTED](): void {
    if (!this.#inRead) return;
    this.#inRead = false;
    if (!this.#putInRead) return;
    this.#putInRead = false;
    const socket = this.#aheadSocket;
    if (socket === undefined || this.#destroyed || !this.#writing) return;
    countRead();
    if (!this.#aheadWrite(socket)) this.#queueFlush();
  }

  // Write what the handlers of a read (or a connection) put now, with no
  // turn of the kernel's, when POE would run nothing of this socket's
  // before its write, and a reply cannot be read before the events due
  // now (pollHasRoom). With nothing due, the batch completes now (or in
  // the next tick when it may fire FlushedEvent or LowEvent). With events
  // due, none of them this session's, the bytes go now and the batch
  // completes in POE's I/O phase after those events, where POE writes it:
  // until then its octets stay counted and a flush completes it first, and
  // a write error is reported there. Otherwise the write waits for the I/O
  // phase. Returns true when written.
  #aheadWrite(socket: Socket): boolean {
    if (this.#marks.inHighWater || !pollHasRoom()) return false;
    if (poeKernel._ioNext()) {
      if (this.#buffer.write(socket, this.#onWritten, true)) this.#written();
      return true;
    }
    if (this.#session._toCount !== 0 || !poeKernel._ioAfterSlice()) return false;
    // Its write callback (a write not taken at once, or failed) also waits for the I/O phase.
    if (this.#buffer.write(socket, (error) => poeKernel._deferIO(() => this.#onWritten(error)), true)) {
      if (this.#aheadBatches++ === 0) poeKernel._deferIO(() => this.#completeAhead());
    }
    return true;
  }

  // The I/O phase for the batches written ahead of due events (or a flush before it).
  #completeAhead(): void {
    for (; this.#aheadBatches > 0; this.#aheadBatches--) if (!this.#destroyed) this.#written();
  }

  readonly #readPhase = (): void => {
    const chunk = this.#chunk;
    this.#chunk = undefined;
    const filter = this.#inputFilter;
    try {
      if (filter.get_one_start === LINE_START) (filter as FilterLine)._startOne(chunk as Buffer);
      else if (typeof filter.get_one_start !== "function") return this.#deliverAll(filter.get([chunk]));
      else filter.get_one_start([chunk]);
      this.#drain(filter);
    } catch (error) {
      this.#readFailed(error);
    }
  };

  // POE's read loop: get_one until empty, an InputEvent per record, while
  // `filter` is still the input filter (set_filter() drains the new one).
  #drain(filter: Filter): void {
    if (filter.get_one === LINE_GET_ONE && (filter as FilterLine)._nextRecord === LINE_NEXT) return this.#drainLines(filter as FilterLine);
    while (this.#inputFilter === filter) {
      const records = filter.get_one();
      if (records.length === 0) return;
      this.#deliverAll(records);
    }
  }

  // The same loop for a FilterLine, without get_one's one-element arrays,
  // and #deliver written out (this loop runs cold for its first lines).
  #drainLines(filter: FilterLine): void {
    const events = this.#events;
    const session = this.#session;
    const id = this.#id;
    while (this.#inputFilter === filter) {
      const line = filter._nextRecord();
      if (line === undefined) return;
      const event = events.InputEvent;
      if (event !== undefined && event !== null) poeKernel._callActive2(session, event, line, id);
    }
  }

  #deliverAll(records: readonly unknown[]): void {
    for (const record of records) this.#deliver(record);
  }

  // InputEvent is looked up per record: a handler may rename or drop it.
  #deliver(record: unknown): void {
    const event = this.#events.InputEvent;
    if (event !== undefined && event !== null) poeKernel._callActive2(this.#session, event, record, this.#id);
  }

  // A filter's bound exceeded or a bad frame: an ErrorEvent naming it, and
  // the stream is not read further. Anything else is the handler's exception.
  #readFailed(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== "string" || !code.startsWith("POE_FILTER_")) throw error;
    const [, errno, errstr] = tupleFor("read", filterErrno(code));
    this.#readEnded(["read", errno, `${errstr} (${code})`]);
  }

  #transferInput(next: Filter, pending: unknown[] | undefined): void {
    if (pending === undefined) return;
    if (typeof next.get_one_start !== "function") return this.#deliverAll(next.get(pending));
    next.get_one_start(pending);
    this.#drain(next);
  }

  /** End of stream: `("read", 0, "")`, then the stream is no longer read. */
  [ON_END](): void {
    if (this.#reading) poeKernel._ioDispatch(this.#session, this.#readState, () => this.#readEnded(["read", 0, ""]));
  }

  /** A stream error. Write failures are reported by the write callback instead. */
  [ON_ERROR](error: unknown): void {
    const syscall = (error as { syscall?: unknown } | null)?.syscall;
    if (syscall === "write" || !this.#reading) return;
    poeKernel._ioDispatch(this.#session, this.#readState, () => this.#readEnded(errorTuple(error, "read")));
  }

  // POE removes the read watcher after EOF or a read error, then reports it.
  #readEnded(tuple: ErrorTuple): void {
    this.#stopReading();
    this.#updateHold();
    this.#emitError(tuple);
  }

  #watchInput(): void {
    if (this.#destroyed || this.#input === undefined) return;
    const want = defined(this.#events.InputEvent);
    if (want && !this.#reading) {
      this.#reading = true;
      this.#buffered = this.#input.readableLength;
      startReading(this.#input, this.#paused);
    } else if (!want && this.#reading) {
      this.#stopReading();
    }
  }

  #stopReading(): void {
    if (!this.#reading || this.#input === undefined) return;
    this.#reading = false;
    stopReading(this.#input);
  }

  // --- writing -------------------------------------------------------------

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    poeKernel._deferIO(this.#deferredFlush);
  }

  readonly #deferredFlush = (): void => {
    this.#flushQueued = false;
    this.#flush(true);
  };

  #announceHigh(): void {
    const event = this.#events.HighEvent;
    if (!this.#marks.takeHighEvent() || !defined(event)) return;
    poeKernel._ioDispatch(this.#session, stateName(this.#id, "write"), () => poeKernel.call(this.#session, event, this.#id));
  }

  readonly #onWritten = (error: Error | null | undefined): void => {
    if (this.#destroyed) return;
    this.#buffer.written();
    if (error) return this.#writeFailed(error);
    const lowEvent = this.#marks.afterWrite(this.#buffer.octets) ? this.#events.LowEvent : undefined;
    const flushedEvent = this.#buffer.octets === 0 ? this.#events.FlushedEvent : undefined;
    if (!defined(lowEvent) && !defined(flushedEvent)) return;
    poeKernel._ioDispatch(this.#session, stateName(this.#id, "write"), () => {
      if (defined(lowEvent)) poeKernel.call(this.#session, lowEvent, this.#id);
      if (defined(flushedEvent) && !this.#destroyed) poeKernel.call(this.#session, flushedEvent, this.#id);
    });
  };

  #writeFailed(error: Error): void {
    if (!this.#writing) return;
    poeKernel._ioDispatch(this.#session, stateName(this.#id, "write"), () => {
      this.#writing = false;
      this.#updateHold();
      this.#emitError(errorTuple(error, "write"));
    });
  }

  // --- bookkeeping ---------------------------------------------------------

  #emitError([operation, errno, errstr]: ErrorTuple): void {
    const event = this.#events.ErrorEvent;
    if (defined(event)) poeKernel.call(this.#session, event, operation, errno, errstr, this.#id);
  }

  // POE counts one watched handle while a read or write watcher exists,
  // paused or not: a ReadWrite keeps its session alive until it is destroyed,
  // or until both directions are shut down or have failed.
  #updateHold(): void {
    this.#hold.set(!this.#destroyed && (this.#reading || this.#writing));
  }
}
