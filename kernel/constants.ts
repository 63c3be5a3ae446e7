/**
 * POE's handler-argument indices and the errno values the kernel returns.
 * Ports POE::Session's exported constants (`Session.pm:121-140`).
 */

/** Index of the object or package a method handler was called on. */
export const OBJECT = 0;
/** Index of the session whose handler runs. */
export const SESSION = 1;
/** Index of the kernel. */
export const KERNEL = 2;
/** Index of the session's heap. */
export const HEAP = 3;
/** Index of the event name being handled. */
export const STATE = 4;
/** Index of the session (or kernel) that sent the event. */
export const SENDER = 5;
/** Index of the file the event was posted from (`undefined` in poe-ts). */
export const CALLER_FILE = 7;
/** Index of the line the event was posted from (`undefined` in poe-ts). */
export const CALLER_LINE = 8;
/** Index of the event that was active when this event was posted. */
export const CALLER_STATE = 9;
export const ARG0 = 10;
export const ARG1 = 11;
export const ARG2 = 12;
export const ARG3 = 13;
export const ARG4 = 14;
export const ARG5 = 15;
export const ARG6 = 16;
export const ARG7 = 17;
export const ARG8 = 18;
export const ARG9 = 19;

/** Linux errno values returned by kernel calls, as POE returns them. */
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EEXIST = 17;
export const EINVAL = 22;
export const ENOSYS = 38;

/** Event type bits (`Kernel.pm:261-284`). */
export const ET_POST = 0x1;
export const ET_CALL = 0x2;
export const ET_START = 0x4;
export const ET_STOP = 0x8;
export const ET_SIGNAL = 0x10;
export const ET_GC = 0x20;
export const ET_PARENT = 0x40;
export const ET_CHILD = 0x80;
export const ET_ALARM = 0x200;
export const ET_SELECT = 0x400;
export const ET_SIGDIE = 0x1000;

/**
 * The symbol of the destructor poe-ts calls where Perl would call DESTROY:
 * when a value is deleted from (or overwritten in) a session's heap, and for
 * everything still in the heap when the session stops. Wheels and
 * postbacks implement it.
 */
export const DESTROY: unique symbol = Symbol.for("poe-ts.DESTROY");

/** Something poe-ts can destroy the way Perl's DESTROY would. */
export interface Destroyable {
  [DESTROY](): void;
}
