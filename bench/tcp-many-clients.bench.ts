// Workload "tcp_many_clients" (../shared/bench/README.md §8), poe-ts version.
// Starts ../shared/bench/server/tcp_server.mjs "echo C" (listen backlog 4096).
// Reads the clock (t0), then creates C POE.Component.Client.TCP sessions back
// to back, all connecting at once. Each, once connected, sends line 0; on
// each echoed line k (it must match) it sends line k+1, until it has 10
// echoes; then it yields shutdown. The clock stops when the C-th client has
// disconnected (Disconnected). Line k of client c is "c<c> k<k>" padded with
// "x" to 99 bytes. Metrics: total ms (primary; lower is better),
// connections_per_s, cpu, peak_rss. Re-executes itself under "ulimit -n"
// when the open-files limit is below C + 64.
import { performance } from "node:perf_hooks";
import { POE, ARG0, ARG2, HEAP, KERNEL } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, raiseFileLimit, result, startServer } from "./common.js";

const C = Number(process.argv[2] ?? 1000);
const EXCHANGES = 10;
raiseFileLimit("tcp_many_clients", C + 64);

const { child, port } = await startServer("echo", String(C));
const lineFor = (c: number, k: number) => `c${c} k${k}`.padEnd(99, "x");
let done = 0;
let echoes = 0;
let t1 = 0;
const errors: string[] = [];

const t0 = performance.now();
for (let c = 1; c <= C; c++) {
  POE.Component.Client.TCP.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: port,
    Args: [c],
    Started: (_) => {
      _[HEAP].c = _[ARG0];
      _[HEAP].k = 0;
    },
    Connected: (_) => _[HEAP].server.put(lineFor(_[HEAP].c, 0)),
    ConnectError: (_) => {
      errors.push(`client connect: ${_[ARG0]} ${_[ARG2]}`);
    },
    ServerInput: (_) => {
      const heap = _[HEAP];
      if (_[ARG0] !== lineFor(heap.c, heap.k)) {
        errors.push(`client ${heap.c} bad echo`);
        return _[KERNEL].yield("shutdown");
      }
      echoes++;
      if (++heap.k < EXCHANGES) heap.server.put(lineFor(heap.c, heap.k));
      else _[KERNEL].yield("shutdown");
    },
    ServerError: (_) => {
      if (_[HEAP].k < EXCHANGES) errors.push(`client ${_[HEAP].c}: ${_[ARG0]} ${_[ARG2]}`);
    },
    Disconnected: () => {
      if (++done === C) t1 = performance.now();
    },
  });
}
const tCreated = performance.now();

await POE.Kernel.run();
child.kill();
if (errors.length) fail(`tcp_many_clients: ${errors.length} errors, first: ${errors[0]}`);
if (echoes !== C * EXCHANGES || done !== C) fail(`tcp_many_clients: ${echoes} echoes, ${done} disconnects, expected ${C * EXCHANGES}, ${C}`);
const el = (t1 - t0) / 1000;
metric("tcp_many_clients", "create_loop", tCreated - t0, "ms");
metric("tcp_many_clients", "connections_per_s", C / el, "conn/s", 0);
metric("tcp_many_clients", "cpu", cpuMs(), "ms", 0);
metric("tcp_many_clients", "peak_rss", peakRssMiB(), "MiB");
result("tcp_many_clients", "total", el * 1000, "ms");


