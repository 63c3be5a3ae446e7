// Workload "tcp_echo_rtt" (../shared/bench/README.md §7), poe-ts version.
// server/tcp_server.mjs echo 1 echoes bytes back as they come (TCP_NODELAY on
// the server side). The client sends a line, waits for its echo (which must
// match), records the round-trip time, and sends the next: one line in
// flight at a time, for N round trips, then the client shuts down. Line i is
// %08d of i plus 91 "x" (99 bytes); Filter::Line appends "\r\n", as POE's.
// Metrics: N / elapsed round trips/s (primary), p50_latency and p99_latency
// in microseconds. POE uses Component::Client::TCP; until components/
// exists this drives its wheels directly: SocketFactory, then ReadWrite
// with the default Filter::Line.
import { performance } from "node:perf_hooks";
import { ARG0, ARG1, HEAP, poeKernel, Session } from "../kernel/index.js";
import { WheelReadWrite, WheelSocketFactory } from "../wheels/index.js";
import { cpuMs, fail, metric, peakRssMiB, result, startServer } from "./common.js";

const N = Number(process.argv[2] ?? 20000);



const { child, port } = await startServer("echo", "1");
const pad = "x".repeat(91);
const lineFor = (i: number): string => String(i).padStart(8, "0") + pad;
const rtt = new Float64Array(N);
let n = 0;
let t0 = 0;
let t1 = 0;
let tSend = 0;
let err = "";

function send(wheel: WheelReadWrite): void {
  tSend = performance.now();
  wheel.put(lineFor(n));
}

Session.create({
  inline_states: {
    _start: (_) => {
      _[HEAP].connector = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "failed" });
    },
    connected: (_) => {
      _[HEAP].server = WheelReadWrite.new({ Handle: _[ARG0], InputEvent: "input", ErrorEvent: "error" });
      delete _[HEAP].connector;
      t0 = performance.now();
      send(_[HEAP].server);
    },
    input: (_) => {
      const now = performance.now();
      rtt[n] = now - tSend;
      if (_[ARG0] !== lineFor(n)) {
        err = `bad echo for line ${n}`;
        delete _[HEAP].server;
      } else if (++n < N) send(_[HEAP].server);
      else {
        t1 = now;
        delete _[HEAP].server;
      }
    },
    error: (_) => {
      err = `${String(_[ARG0])} error ${String(_[ARG1])}`;
      delete _[HEAP].server;
    },
    failed: (_) => fail(`tcp_echo_rtt: ${String(_[ARG0])} failed: ${String(_[ARG1])}`),
  },
});

await poeKernel.run();
child.kill();
if (err || n !== N) fail(`tcp_echo_rtt: ${err || `${n} of ${N} round trips`}`);
const sorted = Array.from(rtt).sort((a, b) => a - b);
const elapsed = (t1 - t0) / 1000;
metric("tcp_echo_rtt", "elapsed", elapsed * 1000, "ms");
metric("tcp_echo_rtt", "p50_latency", (sorted[Math.floor((N - 1) / 2)] ?? 0) * 1000, "us");
metric("tcp_echo_rtt", "p99_latency", (sorted[Math.floor((N - 1) * 0.99)] ?? 0) * 1000, "us");
metric("tcp_echo_rtt", "cpu", cpuMs(), "ms", 0);
metric("tcp_echo_rtt", "peak_rss", peakRssMiB(), "MiB");
result("tcp_echo_rtt", "rate", N / elapsed, "roundtrips/s");
