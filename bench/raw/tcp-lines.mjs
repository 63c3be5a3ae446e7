// Raw-Node baseline for "tcp_lines" (../shared/bench/README.md §6): what the
// workload costs with node:net and no framework.
// The peer (server/tcp_server.mjs lines M 100) sends M lines of 99 bytes +
// "\n" on the first connection, then closes. This client connects with
// net.connect, decodes latin1, splits on "\n" by hand (dropping a "\r"
// before it, as Filter::Line would) and calls one handler per line, which
// counts lines and payload bytes. The clock runs from 'connect' to 'end'.
// Metrics: M / elapsed lines/s (RESULT), throughput in MB/s (100 bytes a
// line on the wire), cpu and peak_rss of this process.
import net from "node:net";
import { cpuMs, fail, metric, peakRssMiB, result, splitLines, startServer } from "./common.mjs";

const M = Number(process.argv[2] ?? 1e6);
const LINE = 100;
const { child, port } = await startServer("lines", String(M), String(LINE));

let lines = 0;
let bytes = 0;
let t0 = 0;
let t1 = 0;
const handler = (line) => {
  lines++;
  bytes += line.length;
};

const socket = net.connect({ host: "127.0.0.1", port });
socket.setEncoding("latin1");
let tail = "";
socket.on("connect", () => (t0 = performance.now()));
socket.on("data", (chunk) => (tail = splitLines(tail, chunk, handler)));
socket.on("end", () => (t1 = performance.now()));
socket.on("error", (error) => fail(`tcp_lines: ${error.message}`));
socket.on("close", () => {
  child.kill();
  if (lines !== M || bytes !== M * (LINE - 1)) fail(`tcp_lines: got ${lines} lines / ${bytes} bytes, expected ${M} / ${M * (LINE - 1)}`);
  const seconds = (t1 - t0) / 1000;
  metric("tcp_lines", "elapsed", seconds * 1000, "ms");
  metric("tcp_lines", "throughput", (M * LINE) / seconds / 1e6, "MB/s", 2);
  metric("tcp_lines", "cpu", cpuMs(), "ms", 0);
  metric("tcp_lines", "peak_rss", peakRssMiB(), "MiB");
  result("tcp_lines", "rate", M / seconds, "lines/s");
});
