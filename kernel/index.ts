/** kernel/: the public API of the event runtime. */
export { Kernel, poeKernel } from "./kernel.js";
export { Session } from "./session.js";
export type { Handler, SessionParams, Postback, StateEntry } from "./session.js";
export { HandlerArgs } from "./handler-args.js";
export { VirtualClock, realClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { Actor } from "./actor.js";
export * from "./constants.js";
