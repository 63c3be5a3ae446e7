// Workload "tcp_many_clients" (../shared/bench/README.md §8), the project's raw-Node baseline.
// Definition: start server/tcp_server.mjs echo C (plain node:net, 127.0.0.1, port 0, listen
//   backlog 4096, a separate process). Read the clock (t0), then create C clients back to back
//   with net.connect (default socket options), all connecting at once. Each client, once
//   connected, writes line 0; on each echoed line k (latin1, split on "\n" by hand; it must
//   match) it writes line k+1, until it has 10 echoes; then it calls end(). The clock stops
//   when the C-th socket has emitted 'close' (t1). Line k of client c is `c<c> k<k>` padded
//   with "x" to 99 bytes, plus "\n".
//   Metrics: total = t1 - t0 ms (primary; lower is better), create_loop, connections_per_s,
//   CPU time and peak RSS of this client process only. Re-execs itself under `ulimit -n C+64`
//   when the soft open-files limit is lower.
// Output: METRIC lines, then exactly one final line "RESULT tcp_many_clients total=<n> ms".
import net from "node:net";
import { cpuMs, fail, metric, peakRssMiB, raiseFileLimit, result, splitLines, startServer } from "./common.mjs";

const C = Number(process.argv[2] ?? 1000);
const EXCHANGES = 10;
raiseFileLimit("tcp_many_clients", C + 64);

const { child, port } = await startServer("echo", String(C));
const lineFor = (c, k) => `c${c} k${k}`.padEnd(99, "x");
let done = 0;
let echoes = 0;
let t1 = 0;
const errors = [];

/** One client: a socket, its client number, its exchange count and its unparsed input. */
function client(c) {
  const sock = net.connect({ host: "127.0.0.1", port });
  sock.setEncoding("latin1");
  let k = 0;
  let rest = "";
  const onLine = (line) => {
    if (line !== lineFor(c, k)) {
      errors.push(`client ${c} bad echo`);
      return sock.end();
    }
    echoes++;
    if (++k < EXCHANGES) sock.write(lineFor(c, k) + "\n");
    else sock.end();
  };
  sock.on("connect", () => sock.write(lineFor(c, 0) + "\n"));
  sock.on("data", (chunk) => (rest = splitLines(rest, chunk, onLine)));
  sock.on("error", (e) => {
    if (k < EXCHANGES) errors.push(`client ${c}: ${e.message}`);
  });
  sock.on("close", () => {
    if (++done === C) finish();
  });
}

const t0 = performance.now();
for (let c = 1; c <= C; c++) client(c);
const tCreated = performance.now();

function finish() {
  t1 = performance.now();
  child.kill();
  if (errors.length) fail(`tcp_many_clients: ${errors.length} errors, first: ${errors[0]}`);
  if (echoes !== C * EXCHANGES) fail(`tcp_many_clients: ${echoes} echoes, expected ${C * EXCHANGES}`);
  const el = (t1 - t0) / 1000;
  metric("tcp_many_clients", "create_loop", tCreated - t0, "ms");
  metric("tcp_many_clients", "connections_per_s", C / el, "conn/s", 0);
  metric("tcp_many_clients", "cpu", cpuMs(), "ms", 0);
  metric("tcp_many_clients", "peak_rss", peakRssMiB(), "MiB");
  result("tcp_many_clients", "total", el * 1000, "ms");
}


