// Probe (not a workload): tcp_many_clients with its echo server in this
// process, for counting instructions thread by thread.
// `node bench/probes/many-clients.mjs poe|raw C` runs C clients at once,
// each exchanging 10 lines with an echo server in the process exactly as
// tcp_many_clients does (line k of client c is "c<c> k<k>" padded with "x"
// to 99 bytes), then shutting down; it prints the time from the first
// client's creation to the last disconnect and exits. "poe" runs the
// workload's own client (bench/many-clients.ts, from dist/: build it with
// `npx tsc -p tsconfig.bench.json`), "raw" node:net as the raw baseline
// reads its lines. Counted per thread:
//   valgrind --tool=callgrind --separate-threads=yes \
//     --callgrind-out-file=/tmp/cg --smc-check=all-non-file \
//     node bench/probes/many-clients.mjs poe 1000
// then the `summary:` line of /tmp/cg-01 is the main thread and the other
// files are V8's compiler and GC helper threads. Repeated counts vary by
// up to 6 % (main thread: 1.976–2.098 G in 3 runs, run V) and 5 % (the
// others); the event order is not fixed, as 1000 connections race.
// docs/benchmarks.md has the figures.
import net from "node:net";
import { splitLines } from "../raw/common.mjs";

const [mode = "poe", cArg = "1000"] = process.argv.slice(2);
const C = Number(cArg);
const EXCHANGES = 10;
if (mode !== "poe" && mode !== "raw") throw new Error(`mode must be poe or raw, got ${mode}`);
if (!Number.isInteger(C) || C < 1) throw new Error(`C must be a positive integer, got ${cArg}`);

const server = net.createServer((s) => {
  s.setNoDelay(true);
  s.on("data", (d) => s.write(d));
  s.on("error", () => {});
  s.on("end", () => s.end());
});
await new Promise((resolve) => server.listen({ host: "127.0.0.1", port: 0, backlog: 4096 }, resolve));
const { port } = server.address();
const lineFor = (c, k) => `c${c} k${k}`.padEnd(99, "x");
let done = 0;
const tally = {
  echoes: 0,
  errors: [],
  disconnected: () => {
    if (++done === C) finish();
  },
};
let t0 = 0;

function finish() {
  server.close();
  if (tally.errors.length) throw new Error(`${tally.errors.length} errors, first: ${tally.errors[0]}`);
  if (tally.echoes !== C * EXCHANGES) throw new Error(`${tally.echoes} echoes, expected ${C * EXCHANGES}`);
  console.log(`${mode} ${C}: ${(performance.now() - t0).toFixed(0)} ms`);
}

function rawClient(c) {
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.setEncoding("latin1");
  let k = 0;
  let rest = "";
  const onLine = (line) => {
    if (line !== lineFor(c, k)) throw new Error(`client ${c}: bad echo`);
    tally.echoes++;
    if (++k < EXCHANGES) socket.write(lineFor(c, k) + "\n");
    else socket.end();
  };
  socket.on("connect", () => socket.write(lineFor(c, 0) + "\n"));
  socket.on("data", (chunk) => (rest = splitLines(rest, chunk, onLine)));
  socket.on("error", (error) => {
    throw error;
  });
  socket.on("close", tally.disconnected);
}

if (mode === "raw") {
  t0 = performance.now();
  for (let c = 1; c <= C; c++) rawClient(c);
} else {
  const { POE } = await import(new URL("../../dist/index.js", import.meta.url).href);
  const { startClient } = await import(new URL("../../dist/bench/many-clients.js", import.meta.url).href);
  t0 = performance.now();
  for (let c = 1; c <= C; c++) startClient(c, port, tally);
  await POE.Kernel.run();
}
