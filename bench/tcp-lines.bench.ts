// Workload "tcp_lines" (../shared/bench/README.md §6), poe-ts version.
// The script starts server/tcp_server.mjs lines M 100 (127.0.0.1, port 0, a
// separate process). On the first connection the server sends M lines of 100
// bytes (99 payload + "\n"), honouring back-pressure, then closes. The client
// counts lines and payload bytes. The clock starts at connect (SuccessEvent,
// POE's Connected) and stops at end of stream (ErrorEvent read/0, POE's
// ServerError). All M lines of 99 bytes must arrive. Metrics: M / elapsed
// lines/s (primary) and M*100 / elapsed / 1e6 MB/s (throughput).
// POE uses Component::Client::TCP with its default Filter::Line; until
// components/ exists this drives the same wheels directly: SocketFactory,
// then ReadWrite with Filter::Line.
import { performance } from "node:perf_hooks";
import { ARG0, ARG1, HEAP, poeKernel, Session } from "../kernel/index.js";
import { FilterLine } from "../filters/index.js";
import { WheelReadWrite, WheelSocketFactory } from "../wheels/index.js";
import { fail, reportLines, startServer } from "./common.js";

const M = Number(process.argv[2] ?? 1e6);
const LINE = 100;

const { child, port } = await startServer("lines", String(M), String(LINE));
let lines = 0;
let bytes = 0;
let t0 = 0;
let t1 = 0;

Session.create({
  inline_states: {
    _start: (_) => {
      _[HEAP].connector = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "failed" });
    },
    connected: (_) => {
      t0 = performance.now();
      _[HEAP].server = WheelReadWrite.new({ Handle: _[ARG0], Filter: FilterLine.new(), InputEvent: "input", ErrorEvent: "error" });
      delete _[HEAP].connector;
    },
    input: (_) => {
      lines++;
      bytes += (_[ARG0] as string).length;
    },
    error: (_) => {
      if (_[ARG0] === "read" && _[ARG1] === 0) t1 = performance.now();
      else console.error(`tcp_lines: ${String(_[ARG0])} error ${String(_[ARG1])}`);
      delete _[HEAP].server;
    },
    failed: (_) => fail(`tcp_lines: ${String(_[ARG0])} failed: ${String(_[ARG1])}`),
  },
});

await poeKernel.run();
child.kill();
if (t1 === 0) fail("tcp_lines: the stream never ended");
reportLines(M, LINE, lines, bytes, t1 - t0);
