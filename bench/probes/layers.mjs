// Probe (not a workload): tcp_many_clients built up layer by layer, to show
// which layer its gap to raw Node comes from. Each layer runs the workload
// of ../shared/bench/README.md §8 (C clients at once against
// tcp_server.mjs "echo C"; line k of client c is "c<c> k<k>" padded with
// "x" to 99 bytes; 10 echoes each, every one checked; the clock stops at
// the C-th disconnect) with a client made of:
//   session    one POE session per client (one shared state table) driving
//              a node:net socket itself (latin1, split by hand), a call()
//              per line; after the tenth echo it destroys the socket and
//              counts the client disconnected, as the layers below do
//              (raw Node's end() and wait for 'close' cost about 6 % more)
//   readwrite  the session puts a ReadWrite (Filter.Line) on a socket it
//              connected with node:net; `delete heap.server` after the tenth
//              echo closes it (as Client.TCP's shutdown with nothing pending)
//   wheels     the same with a SocketFactory connecting, as a POE program
//              written without Client.TCP would
// `node bench/probes/layers.mjs LAYER [C]` runs one and prints the
// workload's METRIC and RESULT lines. `node bench/probes/layers.mjs compare
// [ROUNDS] [C]` runs, in each round, raw Node's baseline
// (bench/raw/tcp-many-clients.mjs), the three layers and Client.TCP
// (dist/bench/tcp-many-clients.bench.js), one process each, and prints
// each one's median total and median ratio to raw's total in the same
// round. Uses dist/: build it with `npx tsc -p tsconfig.bench.json`.
// docs/benchmarks.md (run T) has the figures.
import { execFileSync } from "node:child_process";
import net from "node:net";
import { median } from "../median.mjs";

const LAYERS = ["session", "readwrite", "wheels"];
const [mode = "compare", a1, a2] = process.argv.slice(2);
const dist = new URL("../../dist/", import.meta.url);

if (mode === "compare") {
  const rounds = Number(a1 ?? 9);
  const C = a2 ?? "1000";
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`ROUNDS must be a positive integer, got ${a1}`);
  const scripts = [
    ["raw", new URL("../raw/tcp-many-clients.mjs", import.meta.url).pathname, []],
    ...LAYERS.map((layer) => [layer, new URL(import.meta.url).pathname, [layer]]),
    ["client", new URL("bench/tcp-many-clients.bench.js", dist).pathname, []],
  ];
  const totals = new Map(scripts.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, script, args] of scripts) {
      const out = execFileSync(process.execPath, [script, ...args, C], { encoding: "utf8" });
      const m = /^RESULT tcp_many_clients total=([\d.]+) ms$/m.exec(out);
      if (!m) throw new Error(`${name}: no RESULT line in ${JSON.stringify(out)}`);
      totals.get(name).push(Number(m[1]));
    }
  }
  const raw = totals.get("raw");
  console.log(`node ${process.version}, ${rounds} rounds, C=${C}`);
  for (const [name, ms] of totals) {
    const ratio = median(ms.map((t, i) => t / raw[i]));
    console.log(`${name.padEnd(9)} total median ${median(ms).toFixed(0)} ms, ratio to raw ${ratio.toFixed(2)} (rounds ${Math.min(...ms)}..${Math.max(...ms)} ms)`);
  }
} else {
  if (!LAYERS.includes(mode)) throw new Error(`LAYER must be one of ${LAYERS.join(", ")} or "compare", got ${mode}`);
  const C = Number(a1 ?? 1000);
  if (!Number.isInteger(C) || C < 1) throw new Error(`C must be a positive integer, got ${a1}`);
  const { POE, ARG0, ARG2, HEAP, KERNEL, SESSION } = await import(new URL("index.js", dist).href);
  const { raiseFileLimit, reportManyClients, startServer } = await import(new URL("bench/common.js", dist).href);
  // The workload's own exchange count and lines, as its Client.TCP client uses them.
  const { EXCHANGES, lineFor } = await import(new URL("bench/many-clients.js", dist).href);
  raiseFileLimit("tcp_many_clients", C + 64);
  const { child, port } = await startServer("echo", String(C));
  const errors = [];
  let echoes = 0;
  let done = 0;
  let t1 = 0;
  const disconnected = () => {
    if (++done === C) t1 = performance.now();
  };
  // After a line: the next one, or the client's end.
  const echoed = (heap, line, next, end) => {
    if (line !== lineFor(heap.c, heap.k)) errors.push(`client ${heap.c} bad echo`);
    echoes++;
    if (++heap.k < EXCHANGES) next(lineFor(heap.c, heap.k));
    else end();
  };
  const wheelStates = {
    got_socket: (_) => {
      const heap = _[HEAP];
      heap.server = POE.Wheel.ReadWrite.new({ Handle: _[ARG0], InputEvent: "got_line", ErrorEvent: "got_error" });
      heap.server.put(lineFor(heap.c, 0));
    },
    got_line: (_) => {
      const heap = _[HEAP];
      echoed(heap, _[ARG0], (line) => heap.server.put(line), () => {
        delete heap.server;
        disconnected();
      });
    },
    got_error: (_) => errors.push(`client ${_[HEAP].c}: ${_[ARG0]} ${_[ARG2]}`),
  };
  const states = {
    session: {
      _start: (_) => {
        const heap = _[HEAP];
        const session = _[SESSION];
        heap.c = _[ARG0];
        heap.k = 0;
        heap.rest = "";
        const socket = net.connect({ host: "127.0.0.1", port });
        socket.setEncoding("latin1");
        heap.socket = socket;
        _[KERNEL].refcount_increment(session.ID(), "socket");
        socket.on("connect", () => socket.write(lineFor(heap.c, 0) + "\n"));
        socket.on("data", (chunk) => {
          let text = heap.rest + chunk;
          for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n")) {
            POE.Kernel.call(session, "got_line", text.slice(0, i));
            text = text.slice(i + 1);
          }
          heap.rest = text;
        });
        socket.on("error", (error) => errors.push(`client ${heap.c}: ${error.message}`));
        socket.on("close", () => POE.Kernel.call(session, "closed"));
      },
      got_line: (_) => {
        const heap = _[HEAP];
        echoed(heap, _[ARG0], (line) => heap.socket.write(line + "\n"), () => {
          heap.socket.destroy();
          disconnected();
        });
      },
      closed: (_) => _[KERNEL].refcount_decrement(_[SESSION].ID(), "socket"),
    },
    readwrite: {
      ...wheelStates,
      _start: (_) => {
        const heap = _[HEAP];
        const session = _[SESSION];
        heap.c = _[ARG0];
        heap.k = 0;
        const socket = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
        socket.on("error", (error) => errors.push(`client ${heap.c}: ${error.message}`));
        socket.pause();
        _[KERNEL].refcount_increment(session.ID(), "connecting");
        socket.once("connect", () => {
          _[KERNEL].refcount_decrement(session.ID(), "connecting");
          POE.Kernel.call(session, "got_socket", socket);
        });
      },
    },
    wheels: {
      ...wheelStates,
      _start: (_) => {
        const heap = _[HEAP];
        heap.c = _[ARG0];
        heap.k = 0;
        heap.server = POE.Wheel.SocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "got_socket", FailureEvent: "got_error" });
      },
    },
  }[mode];
  // One frozen table: the kernel shares it between the sessions, as Client.TCP's.
  Object.freeze(states);
  const t0 = performance.now();
  for (let c = 1; c <= C; c++) POE.Session.create({ inline_states: states, args: [c] });
  const tCreated = performance.now();
  await POE.Kernel.run();
  child.kill();
  reportManyClients(C, EXCHANGES, { errors, echoes, done }, t0, tCreated, t1);
}
