// Probe (not a workload): the client's main-thread CPU in each phase of
// tcp_many_clients, for raw Node and for Client.TCP alike. Hooked into the
// client process (by wrapping net.Socket's connect and emit, as warmup.mjs
// does), it reads the main thread's CPU time (/proc/self/task/<pid>/schedstat,
// Linux) and the clock at the phase boundaries: the first socket's
// connect() call; the first 'connect' event; the first and the (2C)-th
// 'data' event; the process's exit. The phases printed are:
//   sockets  first connect() to the first 'connect' (the sockets made and
//            their connect() system calls, Node's next ticks included)
//   connect  first 'connect' to the first 'data' (the connections' set-up,
//            the first lines written)
//   warm-up  first 'data' to the (2C)-th (two waves of the clients' reads,
//            while V8 is still compiling)
//   rest     the (2C)-th 'data' to exit
// For poe-ts the sessions are made before the first connect() (the
// workload's create_loop): they are not in these phases. CPU time is a
// steadier measure than the total on this shared machine, where the
// two processes of a run share two cores.
// `node bench/probes/phases.mjs [ROUNDS] [C]` runs, in each round, raw
// Node's baseline (bench/raw/tcp-many-clients.mjs) and Client.TCP's
// (dist/bench/tcp-many-clients.bench.js), one process each, and prints for
// each the medians over the rounds of the total, each phase's main-thread
// CPU ms (and wall ms) and the whole main thread's CPU from the first
// connect() on. Uses dist/: build it with `npx tsc -p tsconfig.bench.json`.
// docs/benchmarks.md (run V) has the figures.
import { readFileSync } from "node:fs";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { median } from "../median.mjs";
import { roundsAndClients, runHooked } from "./hooked.mjs";

const PHASES = ["sockets", "connect", "warm-up", "rest"];

if (process.env.POE_PHASES_HOOK === "1") {
  // In a client process (loaded by --import): mark the boundaries, report at exit.
  const c = Number(process.env.POE_PHASES_C);
  const cpuMs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "latin1").split(" ")[0]) / 1e6;
  const marks = {};
  const mark = (name) => {
    marks[name] ??= [performance.now(), cpuMs()];
  };
  let reads = 0;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function markedConnect(...args) {
    mark("start");
    return connect.apply(this, args);
  };
  const emit = net.Socket.prototype.emit;
  net.Socket.prototype.emit = function markedEmit(event, ...args) {
    const result = emit.call(this, event, ...args);
    // TCP sockets only: the server's port arrives on a pipe socket.
    if (this.remotePort === undefined) return result;
    // mark() keeps each boundary's first time.
    if (event === "connect") mark("connect1");
    else if (event === "data") {
      mark("data1");
      if (++reads === 2 * c) mark("warm");
    }
    return result;
  };
  process.on("exit", () => {
    mark("exit");
    const bounds = ["start", "connect1", "data1", "warm", "exit"];
    if (!bounds.every((name) => name in marks)) return;
    const out = PHASES.map((phase, i) => {
      const [w0, c0] = marks[bounds[i]];
      const [w1, c1] = marks[bounds[i + 1]];
      return `${phase}=${(c1 - c0).toFixed(1)}/${(w1 - w0).toFixed(1)}`;
    });
    process.stdout.write(`PHASES ${out.join(" ")} cpu=${(marks.exit[1] - marks.start[1]).toFixed(1)}\n`);
  });
} else {
  const { rounds, c } = roundsAndClients(process.argv.slice(2));
  const report = /^PHASES (.*) cpu=([\d.]+)$/m;
  const seen = new Map();
  for (const [name, runs] of runHooked(import.meta.url, { POE_PHASES_HOOK: "1", POE_PHASES_C: c }, { rounds, c, report, what: "PHASES", alternate: true })) {
    seen.set(name, runs.map(({ total, report: line }) => {
      const phases = Object.fromEntries(line[1].split(" ").map((kv) => {
        const [key, value] = kv.split("=");
        return [key, value.split("/").map(Number)];
      }));
      return { total, cpu: Number(line[2]), phases };
    }));
  }
  console.log(`node ${process.version}, ${rounds} rounds, C=${c}; medians over the rounds; main-thread CPU ms (wall ms)`);
  for (const [name, runs] of seen) {
    const cells = PHASES.map((p) => `${p} ${median(runs.map((x) => x.phases[p][0])).toFixed(0)} (${median(runs.map((x) => x.phases[p][1])).toFixed(0)})`);
    console.log(`${name.padEnd(6)} total ${median(runs.map((x) => x.total)).toFixed(0)} ms; ${cells.join(", ")}; cpu ${median(runs.map((x) => x.cpu)).toFixed(0)}`);
  }
}
