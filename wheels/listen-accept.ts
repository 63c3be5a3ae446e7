/**
 * POE::Wheel::ListenAccept: accept connections on a socket that is
 * already listening (a `net.Server`), one AcceptEvent per connection.
 */
import type { Server, Socket } from "node:net";
import { DESTROY, poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";
import { errorTuple } from "./errors.js";
import { handOutCall, swallowError } from "./handoff.js";
import { eventPairs } from "./event-pairs.js";
import { sockaddrOf } from "./socket-factory-net.js";
import { allocateWheelId, defined, freeWheelId, owningSession, readParams, warnUnknown } from "./wheel.js";

const TYPE = "POE::Wheel::ListenAccept";
// Each server's wheel: a WeakMap, so the server keeps Node's own shape.
const WHEELS = new WeakMap<object, WheelListenAccept>();
const ON_ACCEPT = Symbol("onAccept");
const ON_ERROR = Symbol("onError");

/** Constructor parameters of WheelListenAccept; POE's keys. */
export interface WheelListenAcceptParams {
  /** A listening (or about to listen) `net.Server`. Required. */
  Handle: Server;
  /** Event for each connection: `(socket, peerSockaddr, wheelId)`. Required. */
  AcceptEvent: string;
  /** Event for an accept failure: `("accept", errno, errstr, wheelId)`. */
  ErrorEvent?: string;
}

/**
 * Accepts connections from a listening `net.Server`.
 *
 * Ports POE::Wheel::ListenAccept.
 * Differs from POE: destroying the wheel stops watching the server but
 * does not close it (the program made it; close it with `server.close()`).
 *
 * @example
 * heap.wheel = POE.Wheel.ListenAccept.new({ Handle: server, AcceptEvent: "got_connection", ErrorEvent: "got_error" });
 */
export class WheelListenAccept {
  #session: Session;
  #id: number;
  #server: Server;
  #acceptEvent: string;
  #errorEvent: string | undefined;
  #destroyed = false;
  readonly #acceptState: string;

  /**
   * Ports POE::Wheel::ListenAccept->new.
   * @throws Error "Handle required", "AcceptEvent required", or when not called from a session's handler.
   */
  static new(params: WheelListenAcceptParams): WheelListenAccept {
    return new WheelListenAccept(params);
  }

  constructor(params: WheelListenAcceptParams) {
    const bag = readParams<WheelListenAcceptParams>(TYPE, params);
    this.#session = owningSession(TYPE);
    if (!defined(bag.Handle)) throw new Error("Handle required");
    if (!defined(bag.AcceptEvent)) throw new Error("AcceptEvent required");
    if (typeof (bag.Handle as { listen?: unknown }).listen !== "function") {
      throw new TypeError(`Handle must be a listening net.Server, got ${typeof bag.Handle}`);
    }
    warnUnknown(`${TYPE} ignores unknown parameters: `, bag, ["Handle", "AcceptEvent", "ErrorEvent"]);
    this.#server = bag.Handle;
    this.#acceptEvent = bag.AcceptEvent;
    this.#errorEvent = bag.ErrorEvent;
    this.#id = allocateWheelId();
    this.#acceptState = `${TYPE}(${this.#id}) -> select read`;
    WHEELS.set(this.#server, this);
    if (this.#server.listenerCount("error", swallowError) === 0) this.#server.on("error", swallowError);
    this.#server.on("error", serverOnError);
    this.#server.on("connection", serverOnConnection);
    poeKernel._wheelAdopt(this.#session, this);
    poeKernel._handleHold(this.#session);
  }

  /**
   * Rename AcceptEvent / ErrorEvent (AcceptEvent cannot be undefined).
   * Ports POE::Wheel::ListenAccept::event.
   */
  event(...pairs: unknown[]): void {
    for (const [name, value] of eventPairs(pairs)) {
      if (name === "AcceptEvent") {
        if (defined(value)) this.#acceptEvent = String(value);
        else console.warn("AcceptEvent requires an event name.  ignoring undef");
      } else if (name === "ErrorEvent") {
        this.#errorEvent = defined(value) ? String(value) : undefined;
      } else console.warn(`ignoring unknown ListenAccept parameter '${name}'`);
    }
  }

  /** The wheel's ID. Ports POE::Wheel::ListenAccept::ID. */
  ID(): number {
    return this.#id;
  }

  /** Stop watching the server and free the ID. Ports POE::Wheel::ListenAccept::DESTROY. */
  [DESTROY](): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#server.removeListener("connection", serverOnConnection);
    this.#server.removeListener("error", serverOnError);
    if (WHEELS.get(this.#server) === this) WHEELS.delete(this.#server);
    poeKernel._handleRelease(this.#session);
    poeKernel._wheelRelease(this.#session, this);
    freeWheelId(this.#id);
  }

  [ON_ACCEPT](socket: Socket): void {
    socket.on("error", swallowError);
    poeKernel._ioDispatch(this.#session, this.#acceptState, () => {
      const family = socket.remoteFamily === "IPv6" ? "inet6" : "inet";
      const peer = socket.remoteAddress === undefined
        ? sockaddrOf("unix", "")
        : sockaddrOf(family, { address: socket.remoteAddress, port: socket.remotePort ?? 0, family: socket.remoteFamily ?? "IPv4" });
      handOutCall(this.#session, socket, this.#acceptEvent, peer, this.#id);
    });
  }

  [ON_ERROR](error: unknown): void {
    const event = this.#errorEvent;
    if (event === undefined) return;
    poeKernel._ioDispatch(this.#session, this.#acceptState, () => {
      const [syscall, errno, errstr] = errorTuple(error, "accept");
      poeKernel.call(this.#session, event, syscall, errno, errstr, this.#id);
    });
  }
}

// ---------------------------------------------------------------------------

function wheelOf(server: object): WheelListenAccept | undefined {
  return WHEELS.get(server);
}

function serverOnConnection(this: Server, socket: Socket): void {
  wheelOf(this)?.[ON_ACCEPT](socket);
}

function serverOnError(this: Server, error: unknown): void {
  wheelOf(this)?.[ON_ERROR](error);
}

