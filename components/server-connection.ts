/**
 * The per-connection sessions of POE::Component::Server::TCP's default
 * acceptor (`Component/Server/TCP.pm:266-421`): one session per accepted
 * socket, a child of the listener, with a ReadWrite wheel in `heap.client`.
 *
 *   _start ──► ClientPreConnect? ──► heap.client = ReadWrite ──► ClientConnected
 *   tcp_server_got_input ──► ClientInput (unless heap.shutdown)
 *   tcp_server_got_error ──► ClientError, then yield shutdown (shutdown_on_error)
 *   shutdown ──► nothing pending (or after an error): ClientDisconnected, delete client
 *            └─► output pending: tcp_server_got_flush ──► ClientDisconnected, delete client
 *   _stop ──► call(listener, "disconnected")
 */
import { constants as osConstants } from "node:os";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, SESSION } from "../kernel/index.js";
import type { Handler, HandlerArgs } from "../kernel/index.js";
import { deleteOwned, storeOwned } from "../kernel/heap.js";
import { FilterLine, filterClass, resolveFilter } from "../filters/index.js";
import type { Filter } from "../filters/index.js";
import { AF_INET6, PF_UNIX, WheelReadWrite, inet_ntoa, inet_ntop } from "../wheels/index.js";
import { defined, noop } from "./tcp-common.js";
import type { Callback } from "./tcp-common.js";

const ECONNABORTED = osConstants.errno.ECONNABORTED;
const ECONNRESET = osConstants.errno.ECONNRESET;

/** What every connection session of one server shares. */
export interface ConnectionConfig {
  domain: number;
  shutdownOnError: unknown;
  filter: unknown;
  inputFilter: unknown;
  outputFilter: unknown;
  marks: { high: unknown; low: unknown } | undefined;
  preConnect: Callback | undefined;
  connected: Callback | undefined;
  disconnected: Callback | undefined;
  input: Callback;
  error: Callback;
  flushed: Callback | undefined;
  high: Callback | undefined;
  low: Callback | undefined;
  /** The listener's session ID; undefined once the listener has stopped. */
  listenerId: number | undefined;
}

/** The connection session's own states; the user's InlineStates are merged over them. */
export function connectionStates(c: ConnectionConfig): Record<string, Handler> {
  return {
    _start: (_) => connectionStart(c, _),
    tcp_server_got_high: c.high ?? noop,
    tcp_server_got_low: c.low ?? noop,
    _child: noop,
    tcp_server_got_input: (_) => {
      if (_[HEAP].shutdown) return undefined;
      c.input(_);
      return undefined;
    },
    tcp_server_got_error: (_) => {
      if (_[ARG0] === "accept" && _[ARG1] == ECONNABORTED) return;
      c.error(_);
      if (_[HEAP].shutdown_on_error) {
        _[HEAP].got_an_error = 1;
        _[KERNEL].yield("shutdown");
      }
    },
    tcp_server_got_flush: (_) => {
      if (c.flushed) c.flushed(_);
      if (!_[HEAP].shutdown) return;
      if (c.disconnected) c.disconnected(_);
      deleteOwned(_[HEAP], "client");
    },
    shutdown: (_) => {
      const heap = _[HEAP];
      heap.shutdown = 1;
      if (!defined(heap.client) || !(heap.got_an_error || !heap.client.get_driver_out_octets())) return;
      if (c.disconnected) c.disconnected(_);
      deleteOwned(heap, "client");
    },
    _stop: (_) => {
      if (c.listenerId !== undefined) _[KERNEL].call(c.listenerId, "disconnected");
      return undefined;
    },
  };
}

/**
 * The peer of each accepted socket, from the acceptor to the new session's
 * `_start` (POE's acceptor closes over them; the session's args stay POE's
 * `(socket, ClientArgs)`).
 */
export const peers = new WeakMap<object, [address: unknown, port: unknown]>();

/** `_[ARG0]` is the socket, `_[ARG1]` the ClientArgs. */
function connectionStart(c: ConnectionConfig, _: HandlerArgs): void {
  const heap = _[HEAP];
  const [remoteAddr, remotePort] = peers.get(_[ARG0]) ?? [undefined, undefined];
  heap.shutdown = 0;
  heap.shutdown_on_error = c.shutdownOnError;
  heap.remote_ip = remoteIp(c.domain, remoteAddr);
  heap.remote_port = remotePort;
  // POE documents remote_addr but never sets it.
  heap.remote_addr = remoteAddr;
  let socket = _[ARG0];
  if (c.preConnect) {
    socket = c.preConnect(_);
    if (!defined(socket) || typeof socket !== "object") return dropVetoed(heap, _[ARG0]);
  }
  // Object.assign, not spreads, which V8 (11.3) builds in its runtime.
  const params: Record<string, unknown> = Object.assign({ Handle: socket }, connectionFilters(c));
  params.InputEvent = "tcp_server_got_input";
  params.ErrorEvent = "tcp_server_got_error";
  params.FlushedEvent = "tcp_server_got_flush";
  if (c.marks) Object.assign(params, { HighMark: c.marks.high, HighEvent: "tcp_server_got_high", LowMark: c.marks.low, LowEvent: "tcp_server_got_low" });
  storeOwned(heap, "client", WheelReadWrite.new(params as never));
  const clientArgs = _[ARG1] as unknown[];
  _.length = ARG0;
  for (const arg of clientArgs) _.push(arg);
  if (c.connected) c.connected(_);
}

/**
 * ClientPreConnect refused the socket. Perl closes it as `_start` returns
 * and the last reference goes, unless the program kept one; the heap is
 * where a program would keep it.
 */
function dropVetoed(heap: Record<string, unknown>, socket: unknown): void {
  if (Object.values(heap).includes(socket)) return;
  (socket as { destroy?: () => void } | undefined)?.destroy?.();
}

/**
 * The peer's address as text. POE runs an IPv6 address through
 * getaddrinfo() and keeps a field of the result; inet_ntop gives the
 * address itself.
 */
function remoteIp(domain: number, address: unknown): string | undefined {
  if (domain === PF_UNIX) return "LOCAL";
  if (!(address instanceof Uint8Array)) return undefined;
  return address.length === 4 ? inet_ntoa(address) : inet_ntop(AF_INET6, address);
}

/** Filter or InputFilter/OutputFilter for a new connection. Ports `_get_filters`. */
function connectionFilters(c: ConnectionConfig): Record<string, Filter> {
  if (defined(c.inputFilter) || defined(c.outputFilter)) {
    return { InputFilter: loadFilter(c.inputFilter), OutputFilter: loadFilter(c.outputFilter) };
  }
  if (defined(c.filter)) return { Filter: loadFilter(c.filter) };
  return { Filter: FilterLine.new() };
}

/**
 * A filter from a ClientFilter-style value. A name that is not a filter
 * class warns and gives a Line filter (with the list's parameters), as
 * POE's `_load_filter` does when `require` fails.
 */
export function loadFilter(spec: unknown): Filter {
  const name = Array.isArray(spec) ? spec[0] : spec;
  if (typeof name === "string") {
    try {
      filterClass(name);
    } catch (error) {
      console.warn(`Failed to load [${name}]\nReason ${(error as Error).message}\nUsing default POE::Filter::Line`);
      return resolveFilter(Array.isArray(spec) ? ["POE::Filter::Line", ...spec.slice(1)] : "POE::Filter::Line");
    }
  }
  return resolveFilter(spec);
}

/** ClientError's default: warn unless EOF or a reset. Ports `_default_client_error`. */
export function defaultClientError(_: HandlerArgs): void {
  const [op, errnum] = [_[ARG0], _[ARG1]];
  if (op === "read" && (errnum == 0 || errnum == ECONNRESET)) return;
  const errstr = errnum ? _[ARG2] : "(no error)";
  console.warn(`${process.pid}: Client session ${_[SESSION].ID()} got ${op} error ${errnum} (${errstr})`);
}
