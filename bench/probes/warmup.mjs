// Probe (not a workload): where tcp_many_clients spends its client's time
// over the run, for raw Node and for Client.TCP alike. It times, in the
// client process, every 'connect' and 'data' event a socket emits (with
// its listeners: for raw Node the workload's own listener, which writes the
// next line; for poe-ts SocketFactory's and ReadWrite's, which run the
// kernel, the wheels, Client.TCP and the workload's callbacks, the
// write-ahead included), by wrapping net.Socket's emit, so that both are
// measured at the same place without touching either's code.
// `node bench/probes/warmup.mjs [ROUNDS] [C]` runs, in each round, raw
// Node's baseline (bench/raw/tcp-many-clients.mjs) and Client.TCP's
// (dist/bench/tcp-many-clients.bench.js), one process each, and prints for
// each the medians over the rounds of: the workload's total; the time in
// 'connect' events; the time in 'data' events; and the mean µs of a 'data'
// event in each block of 500 in arrival order (C=1000 clients read 10 lines
// each: 20 blocks, as many reads as lines while each read holds one line).
// Uses dist/: build it with `npx tsc -p tsconfig.bench.json`.
// docs/benchmarks.md (run U) has the figures.
import net from "node:net";
import { performance } from "node:perf_hooks";
import { median } from "../median.mjs";
import { roundsAndClients, runHooked } from "./hooked.mjs";

const BLOCK = 500;

if (process.env.POE_WARMUP_HOOK === "1") {
  // In a client process (loaded by --import): time the events, report at exit.
  const blocks = [];
  let reads = 0;
  let connectMs = 0;
  let dataMs = 0;
  const emit = net.Socket.prototype.emit;
  net.Socket.prototype.emit = function timedEmit(event, ...args) {
    // TCP sockets only: the server's port arrives on a pipe socket.
    if ((event !== "data" && event !== "connect") || this.remotePort === undefined) return emit.call(this, event, ...args);
    const t0 = performance.now();
    try {
      return emit.call(this, event, ...args);
    } finally {
      const dt = performance.now() - t0;
      if (event === "connect") connectMs += dt;
      else {
        dataMs += dt;
        const b = Math.floor(reads++ / BLOCK);
        blocks[b] = (blocks[b] ?? 0) + dt;
      }
    }
  };
  process.on("exit", () => {
    // Whole blocks only.
    const us = blocks.slice(0, Math.floor(reads / BLOCK)).map((ms) => (ms / BLOCK) * 1000);
    process.stdout.write(`WARMUP connect_ms=${connectMs.toFixed(1)} data_ms=${dataMs.toFixed(1)} reads=${reads} blocks_us=${us.map((x) => x.toFixed(1)).join(",")}\n`);
  });
} else {
  const { rounds, c } = roundsAndClients(process.argv.slice(2));
  const report = /^WARMUP connect_ms=([\d.]+) data_ms=([\d.]+) reads=(\d+) blocks_us=([\d.,]*)$/m;
  const seen = new Map();
  for (const [name, runs] of runHooked(import.meta.url, { POE_WARMUP_HOOK: "1" }, { rounds, c, report, what: "WARMUP", alternate: false })) {
    seen.set(name, runs.map(({ total, report: w }) => ({ total, connect: Number(w[1]), data: Number(w[2]), reads: Number(w[3]), blocks: w[4].split(",").map(Number) })));
  }
  console.log(`node ${process.version}, ${rounds} rounds, C=${c}; medians over the rounds`);
  for (const [name, runs] of seen) {
    const width = Math.min(...runs.map((x) => x.blocks.length));
    const blocks = Array.from({ length: width }, (_, b) => median(runs.map((x) => x.blocks[b])).toFixed(0));
    console.log(`${name.padEnd(6)} total ${median(runs.map((x) => x.total)).toFixed(0)} ms, in 'connect' ${median(runs.map((x) => x.connect)).toFixed(0)} ms, in 'data' ${median(runs.map((x) => x.data)).toFixed(0)} ms (${median(runs.map((x) => x.reads))} reads)`);
    console.log(`${"".padEnd(6)} µs per 'data' event, blocks of ${BLOCK}: ${blocks.join(" ")}`);
  }
}
