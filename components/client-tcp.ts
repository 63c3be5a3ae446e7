/**
 * POE::Component::Client::TCP: a session that connects to a TCP server,
 * reconnects on request, and turns the connection's wheel events into
 * callbacks. Ports lib/POE/Component/Client/TCP.pm (POE 1.370).
 *
 * Connection life, as the session's states run it:
 *
 *   _start ──yield──► reconnect ──SocketFactory──► got_connect_success ──► Connected
 *      ▲                 │    │                        (ReadWrite in heap.server)
 *      │ connect(h, p)   │    └─► got_connect_error / got_connect_timeout ──► ConnectError
 *      └─────────────────┘                                    (heap.server deleted)
 *   connected: got_server_input ──► ServerInput (unless heap.shutdown)
 *              got_server_error ──► ServerError, then yield shutdown (shutdown_on_error)
 *   shutdown ──► no output pending (or after an error): delete server, Disconnected
 *            └─► output pending: wait for got_server_flush ──► delete server, Disconnected
 */
import { constants as osConstants } from "node:os";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, SESSION, Session } from "../kernel/index.js";
import type { Handler, HandlerArgs, SessionParams } from "../kernel/index.js";
import { deleteOwned, storeOwned } from "../kernel/heap.js";
import { WheelReadWrite, WheelSocketFactory } from "../wheels/index.js";
import { createSession, defined, makeFilter, noop, readBag, readSession } from "./tcp-common.js";
import type { Callback, SessionClass } from "./tcp-common.js";
import { MI, readConfig, type ClientConfig } from "./client-tcp-config.js";

const ETIMEDOUT = osConstants.errno.ETIMEDOUT;

/**
 * Parameters of {@link ClientTCP.new}, with POE's names. Every callback is
 * called with the `_` of the component's internal event that triggered it.
 */
export interface ClientTCPParams<Heap = any> {
  /** Host name, dotted quad, IPv6 literal or packed address. Required key; `undefined` means `"127.0.0.1"`. */
  RemoteAddress: string | Uint8Array | undefined;
  /** Port number or service name (`"echo"`). Required key. */
  RemotePort: number | string | undefined;
  /** Called for each record from the server: `_[ARG0]` is the record. Required. */
  ServerInput: Callback<Heap>;
  /** Local address to bind before connecting. */
  BindAddress?: string | Uint8Array;
  /** Local port to bind before connecting. */
  BindPort?: number | string;
  /** `AF_INET` (the default), `AF_INET6`, or their `PF_` spellings. @default AF_INET */
  Domain?: number;
  /** An alias other sessions post `connect`, `reconnect` and `shutdown` to. */
  Alias?: string;
  /** Seconds (fractions allowed) to wait for a connection before ConnectError `("connect", 110, "Connection timed out")`. */
  ConnectTimeout?: number;
  /** The session class, a class with POE::Session's static `create`. @default POE.Session */
  SessionType?: SessionClass | string;
  /** Leading `create` parameters: `["options", { trace: 1 }]` or `[{ options: { trace: 1 } }]`. */
  SessionParams?: unknown[];
  /** Called at the end of the session's `_start`; `_[ARG0]...` are Args. */
  Started?: Callback<Heap>;
  /** The Started callback's arguments. @default [] */
  Args?: unknown[];
  /** Called with the new socket in `_[ARG0]`; returns the socket to use, or a false value to drop the connection. */
  PreConnect?: Callback<Heap>;
  /** Called once connected: `_[ARG0]` socket, `_[ARG1]` packed peer address, `_[ARG2]` peer port. */
  Connected?: Callback<Heap>;
  /** Called when connecting fails: `_[ARG0..ARG2]` = `(syscall, errno, errstr)`. @default warn and give up */
  ConnectError?: Callback<Heap>;
  /** Called when an established connection has been closed. */
  Disconnected?: Callback<Heap>;
  /** Called on a read or write error: `_[ARG0..ARG2]` = `(syscall, errno, errstr)`; EOF is `("read", 0, "")`. @default warn and shut down */
  ServerError?: Callback<Heap>;
  /** Called when everything put has been written; `_[ARG0]` is the wheel ID. */
  ServerFlushed?: Callback<Heap>;
  /** The filter for the connection: a name, a class, an instance (cloned) or `[nameOrClass, { params }]`. @default POE.Filter.Line */
  Filter?: unknown;
  /** Octets buffered at which `put()` reports high water. Requires LowMark, ServerHigh and ServerLow. */
  HighMark?: number;
  /** Octets buffered at or below which ServerLow is called after high water. */
  LowMark?: number;
  /** The ReadWrite wheel's HighEvent callback. */
  ServerHigh?: Callback<Heap>;
  /** The ReadWrite wheel's LowEvent callback. */
  ServerLow?: Callback<Heap>;
  /** More states for the session; they override the component's own. */
  InlineStates?: Record<string, Handler<Heap>>;
  /** More object states, as POE.Session.create's `object_states`. */
  ObjectStates?: unknown[];
  /** More package states, as POE.Session.create's `package_states`. */
  PackageStates?: unknown[];
}

/**
 * POE.Component.Client.TCP: a TCP client session.
 *
 * Ports POE::Component::Client::TCP.
 */
export class ClientTCP {
  /**
   * Create the client session and start connecting. Returns the session ID.
   *
   * Ports POE::Component::Client::TCP::new.
   * Differs from POE: ConnectTimeout is measured exactly (POE rounds to
   * whole seconds); `heap.got_an_error` is cleared by `reconnect`; a Filter
   * that cannot be resolved throws from `new()` (POE dies at connect time).
   * @throws Error with POE's croak text for a missing RemoteAddress,
   * RemotePort or ServerInput, a callback that is not a function, Args that
   * is not an array, an incomplete set of watermark parameters, or *States
   * of the wrong type.
   * @example
   * POE.Component.Client.TCP.new({
   *   RemoteAddress: "127.0.0.1",
   *   RemotePort: 7,
   *   Connected: (_) => { _[HEAP].server.put("hello"); },
   *   ServerInput: (_) => { console.log(`from server: ${_[ARG0]}`); _[KERNEL].yield("shutdown"); },
   * });
   */
  static new<Heap = any>(params: ClientTCPParams<Heap>): number {
    const bag = readBag(MI, params);
    const config = readConfig(bag);
    const [cls, lead] = readSession(bag);
    return createClient(config, cls, lead);
  }
}

/** Reads a client's checked parameters from a handler's `_`. */
type ConfigOf = (_: HandlerArgs) => ClientConfig;

/**
 * The session's states, with POE's names (`Component/Client/TCP.pm:143-302`),
 * reading the client's parameters through `configOf`.
 */
function clientStates(configOf: ConfigOf): Record<string, Handler> {
  return {
    _start: (_) => {
      const c = configOf(_);
      heapOf(c, _).shutdown_on_error = 1;
      if (c.alias !== undefined) _[KERNEL].alias_set(c.alias);
      _[KERNEL].yield("reconnect");
      if (c.cb.Started) c.cb.Started(_);
    },
    _stop: noop,
    _child: noop,
    reconnect: (_) => reconnect(configOf(_), _),
    connect: (_) => {
      const c = configOf(_);
      if (defined(_[ARG0])) c.address = _[ARG0];
      if (defined(_[ARG1])) c.port = _[ARG1];
      _[KERNEL].yield("reconnect");
    },
    got_connect_success: (_) => connectSuccess(configOf(_), _),
    got_high: (_) => configOf(_).cb.ServerHigh?.(_),
    got_low: (_) => configOf(_).cb.ServerLow?.(_),
    got_connect_error: (_) => connectError(configOf(_), _),
    got_connect_timeout: (_) => connectTimeout(configOf(_), _),
    got_server_error: (_) => {
      const c = configOf(_);
      c.serverError(_);
      const heap = heapOf(c, _);
      if (heap.shutdown_on_error) {
        _[KERNEL].yield("shutdown");
        heap.got_an_error = 1;
      }
    },
    got_server_input: (_) => {
      const c = configOf(_);
      return heapOf(c, _).shutdown ? undefined : c.cb.ServerInput!(_);
    },
    got_server_flush: (_) => serverFlush(configOf(_), _),
    shutdown: (_) => shutdown(configOf(_), _),
  };
}

/**
 * A client without InlineStates, ObjectStates or PackageStates runs these
 * states, one table for all such clients (the kernel shares it between
 * their sessions, where per-client closures would give each session its
 * own). They find the client's parameters by its session, in
 * {@link CONFIGS}, put there by the first handler the session runs, its
 * `_start`, from {@link starting}. Not in the heap: a read through the
 * heap's Proxy costs several times a WeakMap's, on every line.
 */
const CONFIGS = new WeakMap<object, ClientConfig>();
let starting: ClientConfig | undefined;
// The last session looked up and its parameters: a client reading lines
// asks for the same session over and over. Cleared at the client's _stop,
// so the cache never keeps a stopped session alive.
let lastSession: object | undefined;
let lastConfig: ClientConfig | undefined;

const SHARED_STATES = clientStates((_) => {
  const session = _[SESSION] as object;
  if (session === lastSession) return lastConfig as ClientConfig;
  const c = CONFIGS.get(session);
  if (c !== undefined) {
    lastSession = session;
    lastConfig = c;
    return c;
  }
  if (starting === undefined) throw new Error(`${MI}: the SessionType ran the session's _start after create() returned`);
  const config = starting;
  starting = undefined;
  CONFIGS.set(session, config);
  return config;
});
SHARED_STATES._stop = (_) => {
  if (_[SESSION] !== lastSession) return;
  lastSession = undefined;
  lastConfig = undefined;
};
// Frozen: the kernel then reuses its state table without comparing it, per client.
Object.freeze(SHARED_STATES);

/** Create the client's session: the shared states when it has none of its own. */
function createClient(config: ClientConfig, cls: SessionClass, lead: SessionParams): number {
  const { inline, packages, objects } = config.states;
  const ownStates = Object.keys(inline).length > 0 || packages.length > 0 || objects.length > 0;
  const plain = cls === (Session as unknown as SessionClass);
  config.quietFlush = !ownStates && !config.cb.ServerFlushed && !defined(lead.options) && plain;
  if (ownStates) {
    // The user's states may replace _start: each handler closes over its client.
    return createSession(cls, lead, clientStates(() => config), config.states, config.args);
  }
  const heap = "heap" in lead ? lead.heap : {};
  if (plain && heap !== null && typeof heap === "object") config.heap = heap as Record<string, unknown>;
  starting = config;
  try {
    // readSession() made `lead` for this client alone, and createSession() copies it.
    if (plain) lead.heap = heap;
    return createSession(cls, lead, SHARED_STATES, config.states, config.args);
  } finally {
    starting = undefined;
  }
}

/**
 * The client's heap as the component reads and writes it: the object
 * behind the session's heap Proxy when the component made the heap (then
 * `heap.server` is stored and deleted with storeOwned/deleteOwned, which
 * destroy the wheel as the Proxy would), else `_[HEAP]` itself.
 */
function heapOf(c: ClientConfig, _: HandlerArgs): Record<string, any> {
  return c.heap ?? _[HEAP];
}

/**
 * Start a new connection, destroying whatever wheel `heap.server` held
 * (an established connection is dropped with its pending output, as in POE).
 */
function reconnect(c: ClientConfig, _: HandlerArgs): void {
  const kernel = _[KERNEL];
  const heap = heapOf(c, _);
  // Stored twice on purpose: V8 treats a key stored only once as constant,
  // and the first shutdown would then throw away got_server_input's
  // optimised code, which reads it on every line.
  heap.shutdown = 0;
  heap.shutdown = 0;
  heap.connected = 0;
  // POE never clears this flag, so after one error every later graceful
  // shutdown drops its pending output; a new connection starts clean here.
  // Tested first: a `delete` runs in V8's runtime even when the key is absent.
  if ("got_an_error" in heap) delete heap.got_an_error;
  if (c.alias !== undefined) kernel.alias_set(c.alias);
  const params = { RemoteAddress: c.address, RemotePort: c.port, SuccessEvent: "got_connect_success", FailureEvent: "got_connect_error" };
  storeOwned(heap, "server", WheelSocketFactory.new(Object.assign(params, c.socket) as never));
  removeTimeout(c, _);
  // POE sets this alarm at integer `time() + ConnectTimeout`, so it fires up
  // to a second early; the kernel's fractional clock makes it exact.
  if (c.ctimeout !== undefined) heap.ctimeout_id = kernel.alarm_set("got_connect_timeout", kernel.time() + c.ctimeout);
}

function connectSuccess(c: ClientConfig, _: HandlerArgs): void {
  const heap = heapOf(c, _);
  removeTimeout(c, _);
  let socket = _[ARG0];
  if (c.cb.PreConnect) {
    socket = c.cb.PreConnect(_);
    if (!socket) {
      heap.connected = 0;
      return;
    }
  }
  const params: Record<string, unknown> = {
    Handle: socket,
    Filter: makeFilter(c.filter),
    InputEvent: "got_server_input",
    ErrorEvent: "got_server_error",
    FlushedEvent: c.quietFlush ? undefined : "got_server_flush",
  };
  if (c.marks) Object.assign(params, { HighMark: c.marks.high, HighEvent: "got_high", LowMark: c.marks.low, LowEvent: "got_low" });
  storeOwned(heap, "server", WheelReadWrite.new(params as never));
  heap.connected = 1;
  if (c.cb.Connected) c.cb.Connected(_);
}

/** Connect failure; heap.server goes after ConnectError, so a `call` to reconnect from it would be undone. */
function connectError(c: ClientConfig, _: HandlerArgs): void {
  removeTimeout(c, _);
  const heap = heapOf(c, _);
  heap.connected = 0;
  c.connectError(_);
  deleteOwned(heap, "server");
}

/** Flushed; during a graceful shutdown this is where the connection closes. */
function serverFlush(c: ClientConfig, _: HandlerArgs): void {
  if (c.cb.ServerFlushed) c.cb.ServerFlushed(_);
  const heap = heapOf(c, _);
  if (!heap.shutdown) return;
  deleteOwned(heap, "server");
  if (c.cb.Disconnected) c.cb.Disconnected(_);
}

function connectTimeout(c: ClientConfig, _: HandlerArgs): void {
  const kernel = _[KERNEL];
  const heap = heapOf(c, _);
  heap.connected = 0;
  removeTimeout(c, _);
  kernel.errno = ETIMEDOUT;
  _[ARG0] = "connect";
  _[ARG1] = ETIMEDOUT;
  _[ARG2] = "Connection timed out";
  c.connectError(_);
  deleteOwned(heap, "server");
}

/** Graceful shutdown (`Component/Client/TCP.pm:274-298`). */
function shutdown(c: ClientConfig, _: HandlerArgs): void {
  const kernel = _[KERNEL];
  const heap = heapOf(c, _);
  heap.shutdown = 1;
  removeTimeout(c, _);
  if (heap.connected) {
    heap.connected = 0;
    // With output pending, got_server_flush finishes the job.
    if (defined(heap.server) && (heap.got_an_error || !heap.server.get_driver_out_octets())) {
      deleteOwned(heap, "server");
      if (c.cb.Disconnected) c.cb.Disconnected(_);
    } else if (defined(heap.server) && c.quietFlush) {
      heap.server.event("FlushedEvent", "got_server_flush");
    }
  } else {
    deleteOwned(heap, "server");
  }
  if (c.alias !== undefined) kernel.alias_remove(c.alias);
}

function removeTimeout(c: ClientConfig, _: HandlerArgs): void {
  // Only a ConnectTimeout sets ctimeout_id: no test of the heap (its Proxy) without one.
  if (c.ctimeout === undefined) return;
  const heap = heapOf(c, _);
  if (!("ctimeout_id" in heap)) return;
  const id = heap.ctimeout_id;
  delete heap.ctimeout_id;
  _[KERNEL].alarm_remove(id);
}
