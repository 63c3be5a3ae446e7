/**
 * components/: the public exports of the TCP components. The package entry
 * hangs them on the POE namespace as `POE.Component.Client.TCP` and
 * `POE.Component.Server.TCP`.
 */
import { ClientTCP } from "./client-tcp.js";
import { ServerTCP } from "./server-tcp.js";

export { ClientTCP } from "./client-tcp.js";
export type { ClientTCPParams } from "./client-tcp.js";
export { ServerTCP } from "./server-tcp.js";
export type { ServerTCPParams } from "./server-tcp.js";

/** `POE.Component`: `Component.Client.TCP === ClientTCP`, `Component.Server.TCP === ServerTCP`. */
export const Component = { Client: { TCP: ClientTCP }, Server: { TCP: ServerTCP } } as const;
