// Probe (not a workload): tcp_many_clients with its echo server in this
// process, for counting instructions thread by thread.
// `node bench/probes/many-clients.mjs poe|raw C` runs C clients at once,
// each exchanging 10 lines with an echo server in the process exactly as
// tcp_many_clients does (line k of client c is "c<c> k<k>" padded with "x"
// to 99 bytes), then shutting down; it prints the time from the first
// client's creation to the last disconnect and exits. "poe" uses
// POE.Component.Client.TCP from dist/ (build it with
// `npx tsc -p tsconfig.bench.json`), "raw" node:net. Counted per thread:
//   valgrind --tool=callgrind --separate-threads=yes \
//     --callgrind-out-file=/tmp/cg --smc-check=all-non-file \
//     node bench/probes/many-clients.mjs poe 1000
// then the `summary:` line of /tmp/cg-01 is the main thread and the other
// files are V8's compiler and GC helper threads. Repeated counts vary by
// about 2 % (main thread) and 5 % (the others); the event order is not
// fixed, as 1000 connections race. docs/benchmarks.md has the figures.
import net from "node:net";

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
let echoes = 0;
let t0 = 0;

function finish() {
  server.close();
  if (echoes !== C * EXCHANGES) throw new Error(`${echoes} echoes, expected ${C * EXCHANGES}`);
  console.log(`${mode} ${C}: ${(performance.now() - t0).toFixed(0)} ms`);
}

function rawClient(c) {
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.setEncoding("latin1");
  let k = 0;
  let rest = "";
  socket.on("connect", () => socket.write(lineFor(c, 0) + "\n"));
  socket.on("data", (chunk) => {
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      if (text.slice(from, nl) !== lineFor(c, k)) throw new Error(`client ${c}: bad echo`);
      echoes++;
      if (++k < EXCHANGES) socket.write(lineFor(c, k) + "\n");
      else socket.end();
      from = nl + 1;
    }
    rest = text.slice(from);
  });
  socket.on("error", (error) => {
    throw error;
  });
  socket.on("close", () => {
    if (++done === C) finish();
  });
}

if (mode === "raw") {
  t0 = performance.now();
  for (let c = 1; c <= C; c++) rawClient(c);
} else {
  const { POE, ARG0, ARG2, HEAP, KERNEL } = await import(new URL("../../dist/index.js", import.meta.url).href);
  t0 = performance.now();
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
        throw new Error(`connect: ${_[ARG0]}`);
      },
      ServerInput: (_) => {
        const heap = _[HEAP];
        if (_[ARG0] !== lineFor(heap.c, heap.k)) throw new Error(`client ${heap.c}: bad echo`);
        echoes++;
        if (++heap.k < EXCHANGES) heap.server.put(lineFor(heap.c, heap.k));
        else _[KERNEL].yield("shutdown");
      },
      ServerError: (_) => {
        if (_[HEAP].k < EXCHANGES) throw new Error(`client ${_[HEAP].c}: ${_[ARG0]} ${_[ARG2]}`);
      },
      Disconnected: () => {
        if (++done === C) finish();
      },
    });
  }
  await POE.Kernel.run();
}
