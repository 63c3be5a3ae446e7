// The client of workload "tcp_many_clients" (../shared/bench/README.md §8),
// one POE.Component.Client.TCP: once connected it sends line 0; on each
// echoed line k (it must match) it sends line k+1, until it has 10 echoes;
// then it yields shutdown. Line k of client c is "c<c> k<k>" padded with "x"
// to 99 bytes. Shared by tcp-many-clients.bench.ts and
// probes/many-clients.mjs, so that the probe runs the workload's own code.
import { POE, ARG0, ARG1, ARG2, HEAP, KERNEL } from "../index.js";

export const EXCHANGES = 10;

/** What the clients of one run count, and what each calls when it has disconnected. */
export interface Tally {
  echoes: number;
  errors: string[];
  disconnected: () => void;
}

/** Line `k` of client `c`: "c<c> k<k>" padded with "x" to 99 bytes (the terminator is the filter's). */
export const lineFor = (c: number, k: number): string => `c${c} k${k}`.padEnd(99, "x");

/**
 * Start client `c` of a run against the echo server on 127.0.0.1:`port`,
 * as ../shared/bench/poe/tcp_many_clients.pl writes it: `c` is the
 * callbacks' closure, `k` the exchange count in the heap (set by Connected).
 */
export function startClient(c: number, port: number, tally: Tally): void {
  POE.Component.Client.TCP.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: port,
    Connected: (_) => {
      _[HEAP].k = 0;
      _[HEAP].server.put(lineFor(c, 0));
    },
    ConnectError: (_) => {
      tally.errors.push(`client ${c} connect: ${_[ARG0]} ${_[ARG1]} ${_[ARG2]}`);
    },
    ServerInput: (_) => {
      const heap = _[HEAP];
      if (_[ARG0] !== lineFor(c, heap.k)) {
        tally.errors.push(`client ${c} bad echo`);
        return _[KERNEL].yield("shutdown");
      }
      tally.echoes++;
      if (++heap.k < EXCHANGES) heap.server.put(lineFor(c, heap.k));
      else _[KERNEL].yield("shutdown");
    },
    ServerError: (_) => {
      // Perl's `unless $_[HEAP]{k} >= $EXCHANGES`: an undefined k (no connection yet) counts.
      if (!(_[HEAP].k >= EXCHANGES)) tally.errors.push(`client ${c} ${_[ARG0]} error ${_[ARG1]} ${_[ARG2]}`);
    },
    Disconnected: tally.disconnected,
  });
}
