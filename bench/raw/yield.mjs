// Raw-Node baseline for "yield": one EventEmitter; yield = setImmediate(emit)
// (mode immediate, default) or a FIFO drained by one setImmediate, 4096 per
// turn (mode queue).
import { EventEmitter } from "node:events";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.mjs";
const N = Number(process.argv[2] ?? 1e6);
const mode = process.argv[3] ?? "immediate";
const session = new EventEmitter();
const fifo = [];
let head = 0;
let pumping = false;
function pump() {
  pumping = false;
  for (let k = 0; k < 4096 && head < fifo.length; k++) { const s = fifo[head]; fifo[head++] = undefined; s.emit("tick"); }
  if (head === fifo.length) { fifo.length = 0; head = 0; }
  if (head < fifo.length && !pumping) { pumping = true; setImmediate(pump); }
}
const yieldTick = mode === "queue"
  ? (s) => { fifo.push(s); if (!pumping) { pumping = true; setImmediate(pump); } }
  : (s) => setImmediate(() => s.emit("tick"));
let count = 0, t0 = 0, t1 = 0;
session.on("tick", () => { if (++count < N) yieldTick(session); else t1 = performance.now(); });
t0 = performance.now();
yieldTick(session);
process.on("beforeExit", () => {
  if (count !== N) fail(`yield: ${count} ticks`);
  const el = (t1 - t0) / 1000;
  metric("yield", "elapsed", el * 1000, "ms"); metric("yield", "cpu", cpuMs(), "ms", 0); metric("yield", "peak_rss", peakRssMiB(), "MiB");
  result("yield", "rate", N / el, "events/s");
  process.removeAllListeners("beforeExit");
});
