/**
 * Sockets a SocketFactory or ListenAccept hands to a session.
 *
 * In Perl the socket in SuccessEvent's ARG0 closes when the last reference
 * to it goes: a handler that ignores it closes it on return. JavaScript
 * cannot see that, so a socket handed out is owned by a guard adopted into
 * the receiving session: when that session stops, a socket no wheel has
 * claimed is destroyed. A ReadWrite claims its handle (and from then on its
 * own destruction closes it), releasing the guard. The guard is made only
 * for a socket no wheel claimed by the time the SuccessEvent's handler
 * returns: a ReadWrite made there (as Client.TCP and Server.TCP make theirs)
 * takes the socket without one.
 */
import type { Socket } from "node:net";
import { DESTROY, poeKernel } from "../kernel/index.js";
import { STOPPED } from "../kernel/actor.js";
import type { Session } from "../kernel/index.js";

// Each handed-out socket's guard. A WeakMap, not a property of the socket,
// which would give it a shape Node's stream code has not seen.
const GUARDS = new WeakMap<object, Guard>();
// Sockets a handOutCall() is delivering, until a wheel claims them (a set:
// a handler's call may deliver another).
const HANDING = new WeakSet<object>();

/** Destroys its socket unless a wheel claimed it. */
class Guard {
  readonly session: Session;
  readonly socket: Socket;

  constructor(session: Session, socket: Socket) {
    this.session = session;
    this.socket = socket;
  }

  [DESTROY](): void {
    if (GUARDS.get(this.socket) !== this) return;
    GUARDS.delete(this.socket);
    this.socket.destroy();
  }
}

/** Every socket's first 'error' listener: an unlistened 'error' would crash the process. */
export function swallowError(): void {}

/**
 * `call(session, event, socket, ...args)`, handing `socket` to `session`:
 * unless a wheel claimed it during the call, it then belongs to the session
 * until one does (destroyed at once if the session has stopped meanwhile).
 */
export function handOutCall(session: Session, socket: Socket, event: string, ...args: unknown[]): void {
  HANDING.add(socket);
  try {
    poeKernel.call(session, event, socket, ...args);
  } finally {
    if (HANDING.delete(socket)) handOut(session, socket);
  }
}

/** `socket` now belongs to `session` until a wheel claims it. */
function handOut(session: Session, socket: Socket): void {
  if (session._lifecycle === STOPPED) return void socket.destroy();
  const guard = new Guard(session, socket);
  GUARDS.set(socket, guard);
  poeKernel._wheelAdopt(session, guard);
}

/** A wheel takes `socket` over: the session's stop no longer destroys it through the guard. */
export function claim(socket: unknown): void {
  if (socket === null || typeof socket !== "object") return;
  if (HANDING.delete(socket)) return;
  const guard = GUARDS.get(socket);
  if (guard === undefined) return;
  GUARDS.delete(socket);
  poeKernel._wheelRelease(guard.session, guard);
}

