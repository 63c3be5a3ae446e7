// Workload "tcp_echo_rtt" (../shared/bench/README.md §7), poe-ts version.
// Starts ../shared/bench/server/tcp_server.mjs "echo 1" (TCP_NODELAY, echoes
// bytes back as they come). A POE.Component.Client.TCP sends line i
// (String(i).padStart(8, "0") + 91 "x"; the Line filter appends CRLF), waits
// for its echo (which must match), records the round trip, and sends the
// next: one line in flight, N round trips, then shutdown. The clock starts
// in Connected and stops at the N-th echo. Metrics: N / elapsed round
// trips/s (primary), p50 and p99 latency in microseconds.
import { performance } from "node:perf_hooks";
import { POE, ARG0, ARG2, HEAP, KERNEL } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, result, startServer } from "./common.js";

const N = Number(process.argv[2] ?? 20000);
const pad = "x".repeat(91);
const lineFor = (i: number) => String(i).padStart(8, "0") + pad;
const rtt = new Float64Array(N);
let n = 0;
let t0 = 0;
let t1 = 0;
let tSend = 0;
let err = "";

const { child, port } = await startServer("echo", "1");

POE.Component.Client.TCP.new({
  RemoteAddress: "127.0.0.1",
  RemotePort: port,
  Connected: (_) => {
    t0 = performance.now();
    tSend = t0;
    _[HEAP].server.put(lineFor(0));
  },
  ConnectError: (_) => {
    err = `connect: ${_[ARG0]} ${_[ARG2]}`;
  },
  ServerInput: (_) => {
    const now = performance.now();
    rtt[n] = now - tSend;
    if (_[ARG0] !== lineFor(n)) {
      err = `bad echo for line ${n}`;
      return _[KERNEL].yield("shutdown");
    }
    if (++n < N) {
      tSend = now;
      _[HEAP].server.put(lineFor(n));
    } else {
      t1 = now;
      _[KERNEL].yield("shutdown");
    }
  },
  ServerError: (_) => {
    if (n < N) err = `${_[ARG0]} error ${_[ARG0 + 1]} ${_[ARG2]}`;
  },
});

await POE.Kernel.run();
child.kill();
if (err || n !== N) fail(`tcp_echo_rtt: ${err || `${n} of ${N} round trips`}`);
const sorted = Array.from(rtt).sort((a, b) => a - b);
const el = (t1 - t0) / 1000;
metric("tcp_echo_rtt", "elapsed", el * 1000, "ms");
metric("tcp_echo_rtt", "p50_latency", sorted[Math.floor((N - 1) / 2)]! * 1000, "us");
metric("tcp_echo_rtt", "p99_latency", sorted[Math.floor((N - 1) * 0.99)]! * 1000, "us");
metric("tcp_echo_rtt", "cpu", cpuMs(), "ms", 0);
metric("tcp_echo_rtt", "peak_rss", peakRssMiB(), "MiB");
result("tcp_echo_rtt", "rate", N / el, "roundtrips/s");

