// Raw-Node baseline for "tcp_echo_rtt" (../shared/bench/README.md §7): what
// the workload costs with node:net and no framework.
// The peer (server/tcp_server.mjs echo 1, TCP_NODELAY on its side) echoes
// bytes as they come. This client connects with net.connect (default socket
// options), writes line 0 on 'connect', and for every echoed line (latin1,
// split on "\n" by hand) checks it against the line it sent, records the
// round trip (write to handler), and writes the next, one line in flight,
// N round trips in all; then it ends the socket. Line i is `%08d` of i plus
// 91 "x" and "\n" (100 bytes).
// Metrics: N / elapsed round trips/s (RESULT), p50 and p99 latency in µs,
// cpu and peak_rss of this process.
import net from "node:net";
import { cpuMs, fail, metric, peakRssMiB, result, splitLines, startServer } from "./common.mjs";

const N = Number(process.argv[2] ?? 20000);
const { child, port } = await startServer("echo", "1");

const PAD = "x".repeat(91);
const lineFor = (i) => String(i).padStart(8, "0") + PAD;
const rtt = new Float64Array(N);
let done = 0;
let sentAt = 0;
let t0 = 0;
let t1 = 0;
let error = "";

const socket = net.connect({ host: "127.0.0.1", port });
socket.setEncoding("latin1");
const send = () => {
  sentAt = performance.now();
  socket.write(`${lineFor(done)}\n`);
};
const onLine = (line) => {
  const now = performance.now();
  rtt[done] = now - sentAt;
  if (line !== lineFor(done)) {
    error = `bad echo for line ${done}`;
    socket.end();
  } else if (++done < N) send();
  else {
    t1 = now;
    socket.end();
  }
};

let tail = "";
socket.on("connect", () => {
  t0 = performance.now();
  send();
});
socket.on("data", (chunk) => (tail = splitLines(tail, chunk, onLine)));
socket.on("error", (e) => (error = e.message));
socket.on("close", () => {
  child.kill();
  if (error !== "" || done !== N) fail(`tcp_echo_rtt: ${error || `${done} of ${N} round trips`}`);
  const sorted = Array.from(rtt).sort((a, b) => a - b);
  const seconds = (t1 - t0) / 1000;
  metric("tcp_echo_rtt", "elapsed", seconds * 1000, "ms");
  metric("tcp_echo_rtt", "p50_latency", sorted[Math.floor((N - 1) / 2)] * 1000, "us");
  metric("tcp_echo_rtt", "p99_latency", sorted[Math.floor((N - 1) * 0.99)] * 1000, "us");
  metric("tcp_echo_rtt", "cpu", cpuMs(), "ms", 0);
  metric("tcp_echo_rtt", "peak_rss", peakRssMiB(), "MiB");
  result("tcp_echo_rtt", "rate", N / seconds, "roundtrips/s");
});
