// Workload "tcp_lines" (../shared/bench/README.md §6), poe-ts version.
// Starts ../shared/bench/server/tcp_server.mjs "lines M 100" (127.0.0.1,
// port 0, a separate process). On the first connection the server sends M
// lines of 100 bytes (99 payload + "\n"), honouring back-pressure, then
// closes. The client is POE.Component.Client.TCP with the default Line
// filter; it counts lines and payload bytes. The clock starts in Connected
// and stops at end of stream (ServerError ("read", 0, "")). All M lines of
// 99 bytes must arrive. Metrics: M / elapsed lines/s (primary) and
// M*100 / elapsed / 1e6 MB/s.
import { performance } from "node:perf_hooks";
import { POE, ARG0, ARG1, ARG2 } from "../index.js";
import { fail, reportLines, startServer } from "./common.js";

const M = Number(process.argv[2] ?? 1e6);
const LINE = 100;

const { child, port } = await startServer("lines", String(M), String(LINE));
let t0 = 0;
let t1 = 0;
let lines = 0;
let bytes = 0;
let err = "";

POE.Component.Client.TCP.new({
  RemoteAddress: "127.0.0.1",
  RemotePort: port,
  Connected: () => {
    t0 = performance.now();
  },
  ConnectError: (_) => {
    err = `connect: ${_[ARG0]} ${_[ARG2]}`;
  },
  ServerInput: (_) => {
    lines++;
    bytes += (_[ARG0] as string).length;
  },
  ServerError: (_) => {
    if (_[ARG0] === "read" && _[ARG1] === 0) t1 = performance.now();
    else err = `${_[ARG0]} error ${_[ARG1]} ${_[ARG2]}`;
  },
});

await POE.Kernel.run();
child.kill();
if (err) fail(`tcp_lines: ${err}`);
reportLines(M, LINE, lines, bytes, t1 - t0);
