/**
 * Sockets a SocketFactory or ListenAccept hands to a session.
 *
 * In Perl the socket in SuccessEvent's ARG0 closes when the last reference
 * to it goes: a handler that ignores it closes it on return. JavaScript
 * cannot see that, so a socket handed out is owned by a guard adopted into
 * the receiving session: when that session stops, a socket no wheel has
 * claimed is destroyed. A ReadWrite claims its handle (and from then on its
 * own destruction closes it), releasing the guard.
 */
import type { Socket } from "node:net";
import { DESTROY, poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";

const GUARD = Symbol("poe-ts.handoffGuard");

interface Guard {
  session: Session;
  socket: Socket;
  [DESTROY](): void;
}

/** Every socket's first 'error' listener: an unlistened 'error' would crash the process. */
export function swallowError(): void {}

/** `socket` now belongs to `session` until a wheel claims it. */
export function handOut(session: Session, socket: Socket): void {
  const guard: Guard = { session, socket, [DESTROY]: guardDestroy };
  (socket as unknown as Record<symbol, Guard>)[GUARD] = guard;
  poeKernel._wheelAdopt(session, guard);
}

/** A wheel takes `socket` over: the session's stop no longer destroys it through the guard. */
export function claim(socket: unknown): void {
  if (socket === null || typeof socket !== "object") return;
  const guard = (socket as Record<symbol, Guard | undefined>)[GUARD];
  if (guard === undefined) return;
  delete (socket as Record<symbol, Guard | undefined>)[GUARD];
  poeKernel._wheelRelease(guard.session, guard);
}

function guardDestroy(this: Guard): void {
  const socket = this.socket as unknown as Record<symbol, Guard | undefined>;
  if (socket[GUARD] !== this) return;
  delete socket[GUARD];
  this.socket.destroy();
}
