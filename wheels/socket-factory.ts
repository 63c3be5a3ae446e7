/**
 * POE::Wheel::SocketFactory on node:net: connect (client) or listen and
 * accept (server), reporting each socket through SuccessEvent.
 *
 * Connecting:
 *
 *   new() ─► plan (croak / queued failure) ─► name to resolve? ─► dns.lookup ─┐
 *              │ IP literal or Unix path                                       │ failure: queued
 *              ▼                                                               ▼ ('inet_aton', 99, …)
 *            net.connect ─► 'connect' ─► SuccessEvent(socket, packedAddr, port, id)
 *                       └─► 'error'   ─► FailureEvent('connect', errno, errstr, id)
 *
 * Listening: new() binds and listens before it returns (sync-listen.ts);
 * a failed bind is a queued FailureEvent('bind', …); each connection is a
 * SuccessEvent, held back while accepting is paused.
 */
import { createConnection, createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { DESTROY, poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";
import { errorTuple, type ErrorTuple } from "./errors.js";
import { handOutCall, swallowError } from "./handoff.js";
import { dispatchConnected } from "./read-write-streams.js";
import { planSocket, type Endpoint, type Plan, type WheelSocketFactoryParams } from "./socket-factory-params.js";
import { addressOf, connectedPeer, resolveEndpoint, sockaddrOf } from "./socket-factory-net.js";
import { listenNow } from "./sync-listen.js";
import { HandleHold } from "./handle-hold.js";
import { allocateWheelId, defined, freeWheelId, owningSession, readParams } from "./wheel.js";
import { eventPairs } from "./event-pairs.js";

export type { WheelSocketFactoryParams } from "./socket-factory-params.js";

const TYPE = "POE::Wheel::SocketFactory";
// Each connecting socket's or listening server's wheel: a WeakMap, not a
// property, so the socket keeps the shape Node's stream code expects.
const WHEELS = new WeakMap<object, WheelSocketFactory>();
const ON_CONNECT = Symbol("onConnect");
const ON_ACCEPT = Symbol("onAccept");
const ON_ERROR = Symbol("onError");

/**
 * Makes a connected socket (client mode, with RemoteAddress) or a
 * listening socket that accepts connections (server mode).
 *
 * Ports POE::Wheel::SocketFactory.
 * Differs from POE: host names not in /etc/hosts are resolved with an
 * asynchronous dns.lookup (POE blocks in the constructor); connections
 * arriving while accepting is paused are accepted by Node and held, paused,
 * until resume_accept(); UDP is not supported.
 *
 * @example
 * heap.listener = POE.Wheel.SocketFactory.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "failed" });
 * const [port] = unpack_sockaddr_in(heap.listener.getsockname());
 */
export class WheelSocketFactory {
  #session: Session;
  #id: number;
  #successEvent: string;
  #failureEvent: string;
  #plan: Plan | undefined;
  #server: Server | undefined;
  #socket: Socket | undefined;
  #connected: Socket | undefined;
  #hold: HandleHold;
  #destroyed = false;
  #paused = false;
  #held_back: Socket[] = [];
  #draining = false;

  /**
   * Ports POE::Wheel::SocketFactory->new.
   * @throws Error "SuccessEvent required", "FailureEvent required", "RemotePort required", or when not called from a session's handler.
   */
  static new(params: WheelSocketFactoryParams): WheelSocketFactory {
    return new WheelSocketFactory(params);
  }

  constructor(params: WheelSocketFactoryParams) {
    const bag = readParams<WheelSocketFactoryParams>(TYPE, params);
    this.#session = owningSession(TYPE);
    this.#hold = new HandleHold(this.#session);
    const plan = planSocket(TYPE, bag);
    this.#successEvent = bag.SuccessEvent;
    this.#failureEvent = bag.FailureEvent;
    this.#id = allocateWheelId();
    poeKernel._wheelAdopt(this.#session, this);
    if (Array.isArray(plan)) {
      this.#yieldFailure(plan);
      return;
    }
    this.#plan = plan;
    this.#start(plan);
  }

  // The private state the I/O phase runs under, as POE's trace names it
  // ("POE::Wheel::SocketFactory(3) -> select connect"); made when needed.
  #state(what: "accept" | "connect"): string {
    return `${TYPE}(${this.#id}) -> select ${what}`;
  }

  /** Rename SuccessEvent / FailureEvent. Ports POE::Wheel::SocketFactory::event. */
  event(...pairs: unknown[]): void {
    for (const [name, value] of eventPairs(pairs)) {
      if (name !== "SuccessEvent" && name !== "FailureEvent") {
        console.warn(`ignoring unknown SocketFactory parameter '${name}'`);
      } else if (!defined(value)) {
        console.warn(`${name} requires an event name.  ignoring undef`);
      } else if (name === "SuccessEvent") this.#successEvent = String(value);
      else this.#failureEvent = String(value);
    }
  }

  /**
   * The socket's own address, packed (a sockaddr_in, sockaddr_in6 or
   * sockaddr_un Buffer), or undefined when there is no bound socket.
   * Ports POE::Wheel::SocketFactory::getsockname.
   */
  getsockname(): Buffer | undefined {
    const domain = this.#plan?.domain;
    if (domain === undefined || this.#destroyed) return undefined;
    if (this.#server !== undefined) return this.#server.listening ? sockaddrOf(domain, this.#server.address()) : undefined;
    const socket = this.#connected;
    if (socket === undefined || socket.destroyed) return undefined;
    return domain === "unix" ? sockaddrOf(domain, "") : sockaddrOf(domain, socket.address());
  }

  /** The wheel's ID. Ports POE::Wheel::SocketFactory::ID. */
  ID(): number {
    return this.#id;
  }

  /**
   * Stop delivering connections. Ports POE::Wheel::SocketFactory::pause_accept.
   * Differs from POE: Node keeps accepting; the connections are held, paused,
   * and delivered in order by resume_accept() (POE leaves them in the
   * kernel's backlog).
   */
  pause_accept(): void {
    if (this.#server !== undefined) this.#paused = true;
  }

  /** Deliver connections again, those held first. Ports POE::Wheel::SocketFactory::resume_accept. */
  resume_accept(): void {
    if (this.#server === undefined || !this.#paused) return;
    this.#paused = false;
    if (this.#held_back.length > 0) poeKernel._defer(this.#drainHeldBack);
  }

  /**
   * Stop: close a listening socket (and connections held back by
   * pause_accept), abort a connect in progress, free the ID. A socket
   * already handed out through SuccessEvent is not touched.
   * Ports POE::Wheel::SocketFactory::DESTROY.
   */
  [DESTROY](): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#server !== undefined) {
      this.#server.removeListener("connection", serverOnConnection);
      this.#server.removeListener("error", streamOnError);
      this.#server.close();
    }
    for (const socket of this.#held_back.splice(0)) socket.destroy();
    if (this.#socket !== undefined) this.#releaseSocket(true);
    this.#setHold(false);
    poeKernel._wheelRelease(this.#session, this);
    freeWheelId(this.#id);
  }

  // --- starting ------------------------------------------------------------

  #start(plan: Plan): void {
    this.#setHold(true);
    const pending = [plan.bind, plan.remote].filter((end): end is Endpoint => end?.name !== undefined);
    if (pending.length === 0) return this.#open(plan);
    // POE resolves with a blocking lookup; here the wheel waits for Node's.
    const family = plan.domain === "inet6" ? 6 : 4;
    let left = pending.length;
    for (const endpoint of pending) {
      resolveEndpoint(endpoint, family, (ok) => {
        if (this.#destroyed) return;
        if (!ok) {
          left = -1;
          return this.#asyncFailure([family === 4 ? "inet_aton" : "getaddrinfo", 99, "Cannot assign requested address"]);
        }
        if (--left === 0) this.#open(plan);
      });
    }
  }

  #open(plan: Plan): void {
    if (plan.remote !== undefined) this.#connect(plan, plan.remote);
    else this.#listen(plan);
  }

  #connect(plan: Plan, remote: Endpoint): void {
    const local = plan.bind;
    if (plan.domain === "unix" && local?.path !== undefined) console.warn("BindAddress ignored for a Unix client (Node cannot bind a connecting Unix socket)");
    const socket = remote.path !== undefined
      ? createConnection({ path: remote.path, allowHalfOpen: true })
      : createConnection({ host: remote.host as string, port: remote.port as number, localAddress: local?.host, localPort: local?.port || undefined, family: plan.domain === "inet6" ? 6 : 4, allowHalfOpen: true });
    socket.on("error", swallowError);
    socket.on("error", streamOnError);
    socket.on("connect", socketOnConnect);
    socket.pause();
    WHEELS.set(socket, this);
    this.#socket = socket;
  }

  #listen(plan: Plan): void {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    server.on("error", swallowError);
    server.on("error", streamOnError);
    server.on("connection", serverOnConnection);
    WHEELS.set(server, this);
    this.#server = server;
    const bind = plan.bind;
    const options = bind?.path !== undefined
      ? { path: bind.path, backlog: plan.backlog }
      : { host: bind?.host ?? (plan.domain === "inet" ? "0.0.0.0" : "::"), port: bind?.port ?? 0, backlog: plan.backlog };
    const outcome = listenNow(server, options);
    if (outcome.error !== undefined) this.#listenFailed(errorTuple(outcome.error, "bind"));
  }

  #listenFailed(failure: ErrorTuple): void {
    this.#server?.removeListener("error", streamOnError);
    this.#server?.close();
    this.#server = undefined;
    this.#setHold(false);
    this.#yieldFailure(failure);
  }

  // POE yields constructor failures: queued, delivered even if the wheel is gone.
  #yieldFailure([syscall, errno, errstr]: ErrorTuple): void {
    poeKernel.yield(this.#failureEvent, syscall, errno, errstr, this.#id);
  }

  // A failure POE finds in its constructor, found later here (after a
  // lookup, or a bind Node reports a tick late): queued as POE queues it.
  #asyncFailure(failure: ErrorTuple): void {
    this.#releaseSocket(true);
    this.#setHold(false);
    poeKernel._ioDispatch(this.#session, this.#state("connect"), () => this.#yieldFailure(failure));
  }

  // --- events from Node ----------------------------------------------------

  [ON_CONNECT](): void {
    const socket = this.#socket;
    if (socket === undefined || this.#destroyed) return;
    dispatchConnected(socket, () =>
      poeKernel._ioDispatch(this.#session, this.#state("connect"), () => {
        this.#releaseSocket(false);
        this.#setHold(false);
        const plan = this.#plan as Plan;
        const [address, port] = connectedPeer(plan.domain, socket, plan.remote as Endpoint);
        handOutCall(this.#session, socket, this.#successEvent, address, port, this.#id);
      }),
    );
  }

  [ON_ACCEPT](socket: Socket): void {
    socket.on("error", swallowError);
    if (this.#destroyed) return void socket.destroy();
    if (this.#paused || this.#held_back.length > 0) return void this.#held_back.push(socket);
    poeKernel._ioDispatch(this.#session, this.#state("accept"), () => this.#accepted(socket));
  }

  #accepted(socket: Socket): void {
    const [address, port] = addressOf(this.#plan?.domain ?? "inet", socket, "remote", "");
    handOutCall(this.#session, socket, this.#successEvent, address, port, this.#id);
  }

  readonly #drainHeldBack = (): void => {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (!this.#paused && !this.#destroyed && this.#held_back.length > 0) {
        const socket = this.#held_back.shift() as Socket;
        poeKernel._ioDispatch(this.#session, this.#state("accept"), () => this.#accepted(socket));
      }
    } finally {
      this.#draining = false;
    }
  };

  [ON_ERROR](error: unknown): void {
    if (this.#destroyed) return;
    const syscall = (error as { syscall?: unknown } | null)?.syscall;
    if (this.#server !== undefined) {
      // A bind Node reports late (sync-listen fallback), or an accept failure.
      if (!this.#server.listening) return void this.#asyncFailureListen(errorTuple(error, "bind"));
      return void poeKernel._ioDispatch(this.#session, this.#state("accept"), () => this.#callFailure(errorTuple(error, "accept")));
    }
    if (this.#socket === undefined) return;
    if (syscall === "bind") return this.#asyncFailure(errorTuple(error, "bind"));
    poeKernel._ioDispatch(this.#session, this.#state("connect"), () => {
      this.#releaseSocket(true);
      this.#setHold(false);
      this.#callFailure(errorTuple(error, "connect"));
    });
  }

  #asyncFailureListen(failure: ErrorTuple): void {
    poeKernel._ioDispatch(this.#session, this.#state("accept"), () => this.#listenFailed(failure));
  }

  #callFailure([syscall, errno, errstr]: ErrorTuple): void {
    poeKernel.call(this.#session, this.#failureEvent, syscall, errno, errstr, this.#id);
  }

  /** Let go of the connecting socket; `close` destroys it (failed or aborted). */
  #releaseSocket(close: boolean): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    WHEELS.delete(socket);
    if (close) {
      socket.removeListener("connect", socketOnConnect);
      socket.removeListener("error", streamOnError);
      socket.destroy();
      return;
    }
    // A socket handed out keeps the two listeners, which reach no wheel
    // now: removing them deletes from the socket's listener table in cold
    // code, once per connection.
    this.#connected = socket;
  }

  // One watched handle while connecting or listening (POE's select watcher).
  #setHold(want: boolean): void {
    this.#hold.set(want);
  }
}

// ---------------------------------------------------------------------------
// Listeners shared by every SocketFactory, reaching the wheel through `this`.

function wheelOf(emitter: object): WheelSocketFactory | undefined {
  return WHEELS.get(emitter);
}

function socketOnConnect(this: Socket): void {
  wheelOf(this)?.[ON_CONNECT]();
}

function serverOnConnection(this: Server, socket: Socket): void {
  const wheel = wheelOf(this);
  if (wheel === undefined) return void socket.destroy();
  wheel[ON_ACCEPT](socket);
}

function streamOnError(this: Socket | Server, error: unknown): void {
  wheelOf(this)?.[ON_ERROR](error);
}
