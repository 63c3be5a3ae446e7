/**
 * A connected loopback pair for ReadWrite suites: one session listens with
 * a SocketFactory and connects to itself, then hands both sockets to
 * `ready(_, server, client)` inside its own handler.
 */
import { ARG0, ARG1, ARG2, HEAP, Session } from "../../kernel/index.js";
import { WheelSocketFactory, unpack_sockaddr_in } from "../../wheels/index.js";
import type { Socket } from "node:net";

/** Create the session; `states` are added to it. */
export function pairSession(ready: (_: any, server: Socket, client: Socket) => void, states: Record<string, (_: any) => unknown> = {}): void {
  Session.create({
    inline_states: {
      _start: (_: any) => {
        const heap = _[HEAP];
        heap.listener = WheelSocketFactory.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "pair_accepted", FailureEvent: "pair_failed" });
        const [port] = unpack_sockaddr_in(heap.listener.getsockname());
        heap.connector = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "pair_connected", FailureEvent: "pair_failed" });
      },
      pair_accepted: (_: any) => {
        _[HEAP].pairServer = _[ARG0];
        delete _[HEAP].listener;
        pairDone(_, ready);
      },
      pair_connected: (_: any) => {
        _[HEAP].pairClient = _[ARG0];
        delete _[HEAP].connector;
        pairDone(_, ready);
      },
      pair_failed: (_: any) => {
        throw new Error(`loopback pair failed: ${String(_[ARG0])}`);
      },
      ...states,
    },
  });
}

function pairDone(_: any, ready: (_: any, server: Socket, client: Socket) => void): void {
  const heap = _[HEAP];
  if (heap.pairServer === undefined || heap.pairClient === undefined) return;
  const server = heap.pairServer as Socket;
  const client = heap.pairClient as Socket;
  delete heap.pairServer;
  delete heap.pairClient;
  ready(_, server, client);
}

/** ErrorEvent handler logging `[name, op, errno, errstr]` and deleting the wheel in `slot`. */
export function logError(log: unknown[], name: string, slot: string) {
  return (_: any) => {
    log.push([name, _[ARG0], _[ARG1], _[ARG2]]);
    delete _[HEAP][slot];
  };
}
