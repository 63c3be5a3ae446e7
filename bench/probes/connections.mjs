// Probe (not a workload): what one short connection costs, counted.
// `node bench/probes/connections.mjs poe|raw N` runs N clients one after
// another against an echo server in this process: connect, send one line,
// get its echo, close; the next client starts when the last one has
// disconnected. "poe" uses POE.Component.Client.TCP from dist/ (build it
// with `npx tsc -p tsconfig.bench.json`), "raw" node:net. One connection
// at a time keeps the order of events the same from run to run, so an
// instruction count repeats within 2-3 %:
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//     --smc-check=all-non-file node --single-threaded --no-opt \
//     bench/probes/connections.mjs poe 300
// minus the same with N = 0, divided by N, is one connection's cost
// (the server's side included). Without --no-opt the count includes
// TurboFan's compiles. docs/benchmarks.md has the figures.
import net from "node:net";

const [mode = "poe", nArg = "100"] = process.argv.slice(2);
const N = Number(nArg);
if (mode !== "poe" && mode !== "raw") throw new Error(`mode must be poe or raw, got ${mode}`);

const server = net.createServer((s) => {
  s.setNoDelay(true);
  s.on("data", (d) => s.write(d));
  s.on("error", () => {});
  s.on("end", () => s.end());
});
await new Promise((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
const { port } = server.address();
let started = 0;

function rawClient() {
  if (++started > N) return server.close();
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.setEncoding("latin1");
  let text = "";
  socket.on("connect", () => socket.write("hello\n"));
  socket.on("data", (chunk) => {
    text += chunk;
    const i = text.indexOf("\n");
    if (i < 0) return;
    if (text.slice(0, i) !== "hello") throw new Error(`bad echo ${JSON.stringify(text)}`);
    socket.end();
  });
  socket.on("error", (error) => {
    throw error;
  });
  socket.on("close", rawClient);
}

if (mode === "raw") {
  rawClient();
} else {
  const { POE, ARG0, HEAP, KERNEL } = await import(new URL("../../dist/index.js", import.meta.url).href);
  const poeClient = () => {
    if (++started > N) return server.close();
    POE.Component.Client.TCP.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: port,
      Connected: (_) => _[HEAP].server.put("hello"),
      ConnectError: (_) => {
        throw new Error(`connect: ${_[ARG0]}`);
      },
      ServerInput: (_) => {
        if (_[ARG0] !== "hello") throw new Error(`bad echo ${JSON.stringify(_[ARG0])}`);
        _[KERNEL].yield("shutdown");
      },
      Disconnected: poeClient,
    });
  };
  poeClient();
  await POE.Kernel.run();
}
