/**
 * Client.TCP's parameters: checked in POE's order (a croak before anything
 * starts, then a carp for each unknown key) and read into the one
 * {@link ClientConfig} a client's handlers share; with the defaults of
 * ConnectError and ServerError. Ports the argument handling of
 * lib/POE/Component/Client/TCP.pm's `new` (POE 1.370).
 */
import { constants as osConstants } from "node:os";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, SESSION } from "../kernel/index.js";
import type { HandlerArgs } from "../kernel/index.js";
import { deleteOwned } from "../kernel/heap.js";
import { checkMarks, defined, makeFilter, readArray, readStates, warnUnknown } from "./tcp-common.js";
import type { Callback, ExtraStates } from "./tcp-common.js";

/** The component's name in its croak and carp texts. */
export const MI = "POE::Component::Client::TCP->new()";
const ECONNRESET = osConstants.errno.ECONNRESET;

const CALLBACKS = [
  "PreConnect", "Connected", "ConnectError", "Disconnected", "ServerInput",
  "ServerError", "ServerFlushed", "Started", "ServerHigh", "ServerLow",
] as const;

const KNOWN = new Set<string>([
  ...CALLBACKS, "Alias", "RemoteAddress", "RemotePort", "Domain", "BindAddress", "BindPort",
  "ConnectTimeout", "Args", "SessionType", "SessionParams", "HighMark", "LowMark", "Filter",
  "InlineStates", "PackageStates", "ObjectStates",
]);

/** The checked parameters one component's handlers share. */
export interface ClientConfig {
  alias: string | undefined;
  address: unknown;
  port: unknown;
  socket: Record<string, unknown>;
  ctimeout: number | undefined;
  filter: unknown;
  marks: { high: unknown; low: unknown } | undefined;
  cb: { [K in (typeof CALLBACKS)[number]]: Callback | undefined };
  connectError: Callback;
  serverError: Callback;
  args: unknown[];
  states: ExtraStates;
  /**
   * got_server_flush would do nothing but end a graceful shutdown: no
   * ServerFlushed, no states of the user's that could replace it, no
   * session options (a trace would show it), no SessionType of the
   * user's. The wheel then names no FlushedEvent until a shutdown waits
   * for pending output.
   */
  quietFlush: boolean;
  /**
   * The heap object itself, behind the session's heap Proxy (which has no
   * get trap, so reads agree): got_server_input reads `shutdown` from it
   * on every line. Known when this component handed the heap to the
   * kernel's own Session.create.
   */
  heap: Record<string, unknown> | undefined;
}

const MARKS = ["HighMark", "LowMark", "ServerHigh", "ServerLow"] as const;

/**
 * Validate in POE's order: a croak before anything starts, then carp
 * unknown keys. This runs once per client, cold for the first hundreds:
 * the work is spread over small functions, each of which V8 (11.3) would
 * optimise only after more clients than a burst of a thousand, where one
 * large function is compiled, with everything inlined into it, at about
 * the 700th client, for the few left (docs/benchmarks.md, run Q).
 */
export function readConfig(bag: Record<string, unknown>): ClientConfig {
  if (!("RemoteAddress" in bag)) throw new Error(`${MI} needs a RemoteAddress parameter`);
  if (!("RemotePort" in bag)) throw new Error(`${MI} needs a RemotePort parameter`);
  const args = readArray(bag, "Args");
  const cb = readCallbacks(bag);
  const marks = checkMarks(bag, MARKS);
  const states = readStates(bag);
  if (!defined(bag.ServerInput)) throw new Error(`${MI} requires a ServerInput parameter`);
  warnUnknown(MI, bag, KNOWN);
  if (defined(bag.Filter)) makeFilter(bag.Filter);
  return newConfig(bag, args, cb, marks, states);
}

/** The callbacks, each croaking "<name> must be a coderef" in POE's order (CALLBACKS). */
function readCallbacks(bag: Record<string, unknown>): ClientConfig["cb"] {
  // A literal, not Object.fromEntries() of a map: this runs for every client.
  return {
    PreConnect: callback(bag.PreConnect, "PreConnect"),
    Connected: callback(bag.Connected, "Connected"),
    ConnectError: callback(bag.ConnectError, "ConnectError"),
    Disconnected: callback(bag.Disconnected, "Disconnected"),
    ServerInput: callback(bag.ServerInput, "ServerInput"),
    ServerError: callback(bag.ServerError, "ServerError"),
    ServerFlushed: callback(bag.ServerFlushed, "ServerFlushed"),
    Started: callback(bag.Started, "Started"),
    ServerHigh: callback(bag.ServerHigh, "ServerHigh"),
    ServerLow: callback(bag.ServerLow, "ServerLow"),
  };
}

/** A callback parameter, undefined when not given. @throws TypeError "<name> must be a coderef" */
function callback(value: unknown, name: (typeof CALLBACKS)[number]): Callback | undefined {
  if (!defined(value)) return undefined;
  if (typeof value !== "function") throw new TypeError(`${name} must be a coderef`);
  return value as Callback;
}

function newConfig(bag: Record<string, unknown>, args: unknown[], cb: ClientConfig["cb"], marks: boolean, states: ExtraStates): ClientConfig {
  return {
    alias: defined(bag.Alias) ? String(bag.Alias) : undefined,
    address: defined(bag.RemoteAddress) ? bag.RemoteAddress : "127.0.0.1",
    port: bag.RemotePort,
    socket: socketParams(bag),
    ctimeout: readTimeout(bag.ConnectTimeout),
    filter: bag.Filter,
    marks: marks ? { high: bag.HighMark, low: bag.LowMark } : undefined,
    cb,
    connectError: cb.ConnectError ?? defaultConnectError,
    serverError: cb.ServerError ?? defaultServerError,
    args,
    states,
    quietFlush: false,
    heap: undefined,
  };
}

// The socket parameters of a client that gives none, shared: a client keeps them for its reconnects.
const NO_SOCKET_PARAMS: Record<string, unknown> = Object.freeze({});

/** SocketDomain, BindAddress and BindPort, only those given. */
function socketParams(bag: Record<string, unknown>): Record<string, unknown> {
  if (!defined(bag.Domain) && !defined(bag.BindAddress) && !defined(bag.BindPort)) return NO_SOCKET_PARAMS;
  const out: Record<string, unknown> = {};
  if (defined(bag.Domain)) out.SocketDomain = bag.Domain;
  if (defined(bag.BindAddress)) out.BindAddress = bag.BindAddress;
  if (defined(bag.BindPort)) out.BindPort = bag.BindPort;
  return out;
}

function readTimeout(value: unknown): number | undefined {
  if (!defined(value)) return undefined;
  const seconds = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(`ConnectTimeout must be a number of seconds >= 0, got ${String(value)}`);
  }
  return seconds;
}

/** ConnectError's default: warn (unless a plain EOF or reset) and forget the wheel. Ports `_default_error`. */
function defaultConnectError(_: HandlerArgs): void {
  const [op, errnum, errstr] = [_[ARG0], _[ARG1], _[ARG2]];
  if (!(op === "read" && (errnum == 0 || errnum == ECONNRESET))) {
    console.warn(`Client ${_[SESSION].ID()} got ${op} error ${errnum} (${errstr})`);
  }
  deleteOwned(_[HEAP], "server");
}

/** ServerError's default: warn and shut down. Ports `_default_io_error`. */
function defaultServerError(_: HandlerArgs): void {
  const [op, errnum] = [_[ARG0], _[ARG1]];
  const errstr = errnum ? _[ARG2] : "Normal disconnection";
  console.warn(`Client ${_[SESSION].ID()} got ${op} error ${errnum} (${errstr})`);
  _[KERNEL].yield("shutdown");
}
