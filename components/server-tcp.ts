/**
 * POE::Component::Server::TCP: a listener session that accepts TCP
 * connections and, by default, runs one child session per connection
 * (components/server-connection.ts). Ports lib/POE/Component/Server/TCP.pm
 * (POE 1.370).
 *
 * The listener counts connections for Concurrency:
 *
 *   tcp_server_got_connection ──► connections++ ──► at the limit: pause_accept()
 *                                               └─► Acceptor (default: a connection session)
 *   disconnected (each connection's _stop) ──► connections-- ──► below the limit: resume_accept()
 *   set_concurrency(n) ──► pause or resume for the new limit (-1: no limit)
 *   shutdown ──► delete the listener, remove the alias; the session ends with its last connection
 */
import { ARG0, ARG1, ARG2, HEAP, KERNEL, SESSION } from "../kernel/index.js";
import type { Handler, HandlerArgs } from "../kernel/index.js";
import { deleteOwned, storeOwned } from "../kernel/heap.js";
import { AF_INET, AF_INET6, AF_UNIX, INADDR_ANY, PF_UNIX, WheelSocketFactory, inet_aton } from "../wheels/index.js";
import { connectionStates, defaultClientError, loadFilter, peers } from "./server-connection.js";
import type { ConnectionConfig } from "./server-connection.js";
import {
  checkCallbacks, checkMarks, createSession, defined, readArray, readBag, readSession, readStates, warnUnknown,
} from "./tcp-common.js";
import type { Callback, ExtraStates, SessionClass } from "./tcp-common.js";
import type { SessionParams } from "../kernel/index.js";

const MI = "POE::Component::Server::TCP->new()";

const CALLBACKS = [
  "Acceptor", "Error", "ClientInput", "ClientPreConnect", "ClientConnected", "ClientDisconnected",
  "ClientError", "ClientFlushed", "ClientLow", "ClientHigh", "Started", "Stopped",
] as const;

const LISTENER_KNOWN = [
  "Alias", "Address", "Hostname", "Port", "Domain", "Concurrency", "Acceptor", "Error", "ClientInput",
  "HighMark", "LowMark", "ClientHigh", "ClientLow", "SessionType", "SessionParams", "Started", "Stopped",
  "ListenerArgs", "Args", "ClientArgs",
];
const CLIENT_KNOWN = [
  "ClientPreConnect", "ClientConnected", "ClientDisconnected", "ClientError", "ClientFilter",
  "ClientInputFilter", "ClientOutputFilter", "ClientFlushed", "ClientShutdownOnError",
  "InlineStates", "PackageStates", "ObjectStates",
];

/** Parameters of {@link ServerTCP.new}, with POE's names. */
export interface ServerTCPParams<Heap = any> {
  /** Port to listen on; 0 lets the system choose. @default 0 */
  Port?: number | string;
  /** Address to bind: dotted quad, IPv6 literal, host name, packed address, or a path for AF_UNIX. @default INADDR_ANY */
  Address?: string | Uint8Array;
  /** Host name to bind when Address is not given. */
  Hostname?: string;
  /** `AF_INET`, `AF_INET6`, `AF_UNIX` or a `PF_` spelling. @default AF_INET */
  Domain?: number;
  /** The listener session's alias (`shutdown`, `set_concurrency`, `disconnected` go there). */
  Alias?: string;
  /** Most connections open at once; -1 for no limit. @default -1 */
  Concurrency?: number;
  /** Handle each accepted socket yourself: `_[ARG0..ARG3]` = `(socket, packedAddress, port, wheelId)`. Exclusive with ClientInput. */
  Acceptor?: Callback<Heap>;
  /** Listener failures `(syscall, errno, errstr, wheelId)`. @default warn and stop listening */
  Error?: Callback<Heap>;
  /** Called for each record a client sends (in its connection session). Exclusive with Acceptor. */
  ClientInput?: Callback<Heap>;
  /** Called when a connection session has its wheel; `_[ARG0]...` are ClientArgs. */
  ClientConnected?: Callback<Heap>;
  /** Called when a connection has been closed, before `heap.client` is deleted. */
  ClientDisconnected?: Callback<Heap>;
  /** Connection errors `(syscall, errno, errstr, wheelId)`; EOF is `("read", 0, "")`. @default warn unless EOF or reset */
  ClientError?: Callback<Heap>;
  /** Called when a connection's output has all been written. */
  ClientFlushed?: Callback<Heap>;
  /** Called with `_[ARG0]` = the socket; returns the socket to use, or undefined to drop it. */
  ClientPreConnect?: Callback<Heap>;
  /** Filter for each connection: name, class, instance (cloned) or `[nameOrClass, { params }]`. @default POE.Filter.Line */
  ClientFilter?: unknown;
  /** Input filter; requires ClientOutputFilter and overrides ClientFilter. */
  ClientInputFilter?: unknown;
  /** Output filter; requires ClientInputFilter. */
  ClientOutputFilter?: unknown;
  /** Arguments for ClientConnected. @default [] */
  ClientArgs?: unknown[];
  /** Deprecated spelling of ClientArgs (warns). */
  Args?: unknown[];
  /** Shut a connection down after ClientError. @default 1 */
  ClientShutdownOnError?: unknown;
  /** High-water mark for each connection's wheel; all four of HighMark, LowMark, ClientHigh, ClientLow or none. */
  HighMark?: number;
  /** Low-water mark for each connection's wheel. */
  LowMark?: number;
  /** The wheel's HighEvent callback. */
  ClientHigh?: Callback<Heap>;
  /** The wheel's LowEvent callback. */
  ClientLow?: Callback<Heap>;
  /** More states for each connection session, over the component's own. */
  InlineStates?: Record<string, Handler<Heap>>;
  /** More object states for each connection session. */
  ObjectStates?: unknown[];
  /** More package states for each connection session. */
  PackageStates?: unknown[];
  /** Session class for the listener and the connections. @default POE.Session */
  SessionType?: SessionClass | string;
  /** Leading `create` parameters, as in Client.TCP. */
  SessionParams?: unknown[];
  /** Called at the end of the listener's `_start`; `_[ARG0]...` are ListenerArgs. */
  Started?: Callback<Heap>;
  /** Called at the start of the listener's `_stop`. */
  Stopped?: Callback<Heap>;
  /** Arguments for Started. @default [] */
  ListenerArgs?: unknown[];
}

interface ListenerConfig {
  alias: string | undefined;
  port: unknown;
  address: unknown;
  domain: number;
  concurrency: number;
  acceptor: Callback;
  error: Callback;
  started: Callback | undefined;
  stopped: Callback | undefined;
  listenerArgs: unknown[];
}

/**
 * POE.Component.Server.TCP: a TCP server.
 *
 * Ports POE::Component::Server::TCP.
 */
export class ServerTCP {
  /**
   * Create the listener session, bound and listening when this returns.
   * Returns the listener session's ID.
   *
   * Ports POE::Component::Server::TCP::new.
   * Differs from POE: `Concurrency: 0` accepts nothing (POE accepts one);
   * `set_concurrency(-1)` resumes a paused listener (POE never does);
   * `heap.remote_addr` is set; an IPv6 peer's `remote_ip` is its address
   * text; AF_INET6 without Address binds `::`; a Hostname that does not
   * resolve is bound by name (POE silently binds INADDR_ANY); Started and
   * Stopped must be functions.
   * @throws Error with POE's croak text for bad parameters.
   * @example
   * POE.Component.Server.TCP.new({
   *   Port: 12345,
   *   ClientInput: (_) => { _[HEAP].client.put(_[ARG0]); },
   * });
   */
  static new<Heap = any>(params: ServerTCPParams<Heap>): number {
    const bag = readBag(MI, params);
    const [listener, connection, states, clientArgs, lead, cls] = readConfig(bag);
    if (connection !== undefined) listener.acceptor = defaultAcceptor(cls, lead, connection, states, clientArgs);
    const lifetime = { stopped: false };
    const own = listenerStates(listener, connection, lifetime);
    const id = createSession(cls, lead, own, { inline: {}, packages: [], objects: [] }, listener.listenerArgs);
    // POE keeps the listener's ID for the connections' _stop, and forgets it when the listener stops.
    if (connection !== undefined && !lifetime.stopped) connection.listenerId = id;
    return id;
  }
}

type Config = [ListenerConfig, ConnectionConfig | undefined, ExtraStates, unknown[], SessionParams, SessionClass];

function readConfig(bag: Record<string, unknown>): Config {
  checkCallbacks(bag, CALLBACKS);
  const marks = checkMarks(bag, ["HighMark", "LowMark", "ClientHigh", "ClientLow"]);
  if (defined(bag.Acceptor) === defined(bag.ClientInput)) {
    throw new Error(`${MI} needs either an Acceptor or a ClientInput but not both`);
  }
  const withClients = defined(bag.ClientInput);
  if (!withClients) {
    const stray = Object.keys(bag).filter((k) => k.startsWith("Client") && !["ClientHigh", "ClientLow", "ClientInput"].includes(k));
    if (stray.length > 0) throw new Error(`${stray.sort()[0]} not permitted without ClientInput`);
  }
  const listenerArgs = readArray(bag, "ListenerArgs");
  const clientArgsValue = readDeprecatedArgs(bag);
  checkFilters(bag);
  const [cls, lead] = readSession(bag);
  let states: ExtraStates = { inline: {}, packages: [], objects: [] };
  let clientArgs: unknown[] = [];
  let connection: ConnectionConfig | undefined;
  if (withClients) {
    states = readStates(bag, "ObjectsStates");
    clientArgs = readArray(bag, "ClientArgs", clientArgsValue);
    connection = connectionConfig(bag, marks);
  }
  warnUnknown(MI, bag, new Set(withClients ? [...LISTENER_KNOWN, ...CLIENT_KNOWN] : LISTENER_KNOWN));
  return [listenerConfig(bag, listenerArgs), connection, states, clientArgs, lead, cls];
}

/** Args is POE's deprecated name for ClientArgs; both warn as POE's carp does. */
function readDeprecatedArgs(bag: Record<string, unknown>): unknown {
  if ("Args" in bag) {
    if ("ClientArgs" in bag) {
      console.warn("Args is deprecated, and ignored since ClientArgs is present");
      return bag.ClientArgs || undefined;
    }
    console.warn("Args is deprecated but allowed for now.  Please use ClientArgs");
  }
  return bag.ClientArgs || bag.Args;
}

function checkFilters(bag: Record<string, unknown>): void {
  if (defined(bag.ClientInputFilter) !== defined(bag.ClientOutputFilter)) {
    throw new Error("ClientInputFilter must be used with ClientOutputFilter");
  }
  if (defined(bag.ClientFilter) && defined(bag.ClientInputFilter)) {
    console.warn("ClientFilter ignored with ClientInputFilter and ClientOutputFilter");
  }
  // Specs that are not names throw now rather than in every connection.
  for (const name of ["ClientFilter", "ClientInputFilter", "ClientOutputFilter"]) {
    const spec = bag[name];
    const head = Array.isArray(spec) ? spec[0] : spec;
    if (defined(spec) && typeof head !== "string") loadFilter(spec);
  }
}

function listenerConfig(bag: Record<string, unknown>, listenerArgs: unknown[]): ListenerConfig {
  const domain = (bag.Domain || AF_INET) as number;
  return {
    alias: defined(bag.Alias) ? String(bag.Alias) : undefined,
    port: defined(bag.Port) ? bag.Port : 0,
    address: bindAddress(bag, domain),
    domain,
    concurrency: defined(bag.Concurrency) ? Number(bag.Concurrency) : -1,
    acceptor: bag.Acceptor as Callback,
    error: (bag.Error as Callback | undefined) ?? defaultServerError,
    started: bag.Started as Callback | undefined,
    stopped: bag.Stopped as Callback | undefined,
    listenerArgs,
  };
}

function bindAddress(bag: Record<string, unknown>, domain: number): unknown {
  if (defined(bag.Address)) return bag.Address;
  if (defined(bag.Hostname)) return inet_aton(String(bag.Hostname)) ?? bag.Hostname;
  return domain === AF_INET6 ? "::" : INADDR_ANY;
}

function connectionConfig(bag: Record<string, unknown>, marks: boolean): ConnectionConfig {
  const inputFilter = bag.ClientInputFilter;
  return {
    domain: (bag.Domain || AF_INET) as number,
    shutdownOnError: "ClientShutdownOnError" in bag ? bag.ClientShutdownOnError : 1,
    filter: defined(inputFilter) ? undefined : bag.ClientFilter,
    inputFilter,
    outputFilter: bag.ClientOutputFilter,
    marks: marks ? { high: bag.HighMark, low: bag.LowMark } : undefined,
    preConnect: bag.ClientPreConnect as Callback | undefined,
    connected: bag.ClientConnected as Callback | undefined,
    disconnected: bag.ClientDisconnected as Callback | undefined,
    input: bag.ClientInput as Callback,
    error: (bag.ClientError as Callback | undefined) ?? defaultClientError,
    flushed: bag.ClientFlushed as Callback | undefined,
    high: bag.ClientHigh as Callback | undefined,
    low: bag.ClientLow as Callback | undefined,
    listenerId: undefined,
  };
}

/** The default Acceptor: one connection session per socket, args `(socket, ClientArgs)`. */
function defaultAcceptor(
  cls: SessionClass, lead: SessionParams, c: ConnectionConfig, states: ExtraStates, clientArgs: unknown[],
): Callback {
  const own = connectionStates(c);
  const inline = { ...own, ...states.inline };
  return (_) => {
    const socket = _[ARG0];
    if (socket !== null && typeof socket === "object") peers.set(socket, [_[ARG1], _[ARG2]]);
    // Object.assign, not a spread with added keys, which V8 (11.3) builds in its runtime.
    cls.create(Object.assign({}, lead, { inline_states: inline, package_states: states.packages, object_states: states.objects, args: [socket, clientArgs] }));
  };
}

/** The listener session's states (`Component/Server/TCP.pm:455-553`). */
function listenerStates(
  l: ListenerConfig, connection: ConnectionConfig | undefined, lifetime: { stopped: boolean },
): Record<string, Handler> {
  return {
    _start: (_) => listenerStart(l, _),
    tcp_server_got_error: l.error,
    tcp_server_got_connection: (_) => {
      const heap = _[HEAP];
      heap.connections++;
      if (heap.concurrency !== -1 && heap.listener && heap.connections >= heap.concurrency) heap.listener.pause_accept();
      return l.acceptor(_);
    },
    disconnected: (_) => disconnected(_),
    set_concurrency: (_) => setConcurrency(_),
    shutdown: (_) => {
      deleteOwned(_[HEAP], "listener");
      if (defined(_[HEAP].alias)) _[KERNEL].alias_remove(_[HEAP].alias);
    },
    _stop: (_) => {
      if (l.stopped) l.stopped(_);
      lifetime.stopped = true;
      if (connection !== undefined) connection.listenerId = undefined;
      return 0;
    },
    _child: () => undefined,
  };
}

function listenerStart(l: ListenerConfig, _: HandlerArgs): void {
  const heap = _[HEAP];
  if (l.alias !== undefined) {
    heap.alias = l.alias;
    _[KERNEL].alias_set(l.alias);
  }
  heap.concurrency = l.concurrency;
  heap.connections = 0;
  const unix = l.domain === AF_UNIX || l.domain === PF_UNIX;
  storeOwned(heap, "listener", WheelSocketFactory.new({
    ...(unix ? {} : { BindPort: l.port }),
    BindAddress: l.address,
    SocketDomain: l.domain,
    Reuse: "yes",
    SuccessEvent: "tcp_server_got_connection",
    FailureEvent: "tcp_server_got_error",
  } as never));
  // POE pauses only after an accept, so Concurrency 0 still lets one in.
  if (l.concurrency === 0) heap.listener.pause_accept();
  if (l.started) l.started(_);
}

function disconnected(_: HandlerArgs): void {
  const heap = _[HEAP];
  heap.connections--;
  if (heap.connections < 0) {
    console.warn("Excessive 'disconnected' event from (unknown file) at line (unknown line)");
    heap.connections = 0;
  }
  if (heap.concurrency !== -1 && heap.listener && heap.connections === heap.concurrency - 1) heap.listener.resume_accept();
}

/**
 * `set_concurrency(n)`: pause at or above the new limit, resume below it.
 * POE skips both for -1, so a listener paused by the old limit stayed
 * paused; here -1 resumes it.
 */
function setConcurrency(_: HandlerArgs): void {
  const heap = _[HEAP];
  heap.concurrency = _[ARG0];
  if (!heap.listener) return;
  if (heap.concurrency !== -1 && heap.connections >= heap.concurrency) heap.listener.pause_accept();
  else heap.listener.resume_accept();
}

/** Error's default: warn and stop listening. Ports `_default_server_error`. */
function defaultServerError(_: HandlerArgs): void {
  console.warn(`${process.pid}: Server ${_[SESSION].ID()} got ${_[ARG0]} error ${_[ARG1]} (${_[ARG2]})`);
  deleteOwned(_[HEAP], "listener");
}
