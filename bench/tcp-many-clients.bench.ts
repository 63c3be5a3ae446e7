// Workload "tcp_many_clients" (../shared/bench/README.md §8), poe-ts version.
// Starts ../shared/bench/server/tcp_server.mjs "echo C" (listen backlog 4096).
// Reads the clock (t0), then creates C POE.Component.Client.TCP sessions back
// to back, all connecting at once. Each, once connected, sends line 0; on
// each echoed line k (it must match) it sends line k+1, until it has 10
// echoes; then it yields shutdown. The clock stops when the C-th client has
// disconnected (Disconnected). Line k of client c is "c<c> k<k>" padded with
// "x" to 99 bytes. Metrics: total ms (primary; lower is better),
// connections_per_s, cpu, peak_rss. Re-executes itself under "ulimit -n"
// when the open-files limit is below C + 64. The client is many-clients.ts.
import { performance } from "node:perf_hooks";
import { POE } from "../index.js";
import { raiseFileLimit, reportManyClients, startServer } from "./common.js";
import { EXCHANGES, startClient, type Tally } from "./many-clients.js";

const C = Number(process.argv[2] ?? 1000);
raiseFileLimit("tcp_many_clients", C + 64);

const { child, port } = await startServer("echo", String(C));
let done = 0;
let t1 = 0;
const tally: Tally = {
  echoes: 0,
  errors: [],
  disconnected: () => {
    if (++done === C) t1 = performance.now();
  },
};

const t0 = performance.now();
for (let c = 1; c <= C; c++) startClient(c, port, tally);
const tCreated = performance.now();

await POE.Kernel.run();
child.kill();
reportManyClients(C, EXCHANGES, { errors: tally.errors, echoes: tally.echoes, done }, t0, tCreated, t1);
