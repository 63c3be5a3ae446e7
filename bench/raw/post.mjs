// Raw-Node baseline for "post": two EventEmitters in a Map by alias;
// post = setImmediate(deliver, alias, event, arg) (mode immediate) or the FIFO (mode queue).
import { EventEmitter } from "node:events";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.mjs";
const N = Number(process.argv[2] ?? 1e6);
const mode = process.argv[3] ?? "immediate";
const aliases = new Map([["ping", new EventEmitter()], ["pong", new EventEmitter()]]);
const deliver = (alias, ev, arg) => aliases.get(alias).emit(ev, arg);
const fifo = [];
let head = 0, pumping = false;
function pump() {
  pumping = false;
  for (let k = 0; k < 4096 && head < fifo.length; k++) { const e = fifo[head]; fifo[head++] = undefined; deliver(e[0], e[1], e[2]); }
  if (head === fifo.length) { fifo.length = 0; head = 0; }
  if (head < fifo.length && !pumping) { pumping = true; setImmediate(pump); }
}
const post = mode === "queue"
  ? (a, e, n) => { fifo.push([a, e, n]); if (!pumping) { pumping = true; setImmediate(pump); } }
  : (a, e, n) => setImmediate(deliver, a, e, n);
let delivered = 0, t0 = 0, t1 = 0;
aliases.get("pong").on("ping", (n) => { delivered++; if (n < N) post("ping", "pong", n + 1); else t1 = performance.now(); });
aliases.get("ping").on("pong", (n) => { delivered++; if (n < N) post("pong", "ping", n + 1); else t1 = performance.now(); });
t0 = performance.now();
post("pong", "ping", 1);
process.on("beforeExit", () => {
  if (delivered !== N) fail(`post: ${delivered}`);
  const el = (t1 - t0) / 1000;
  metric("post", "elapsed", el * 1000, "ms"); metric("post", "cpu", cpuMs(), "ms", 0); metric("post", "peak_rss", peakRssMiB(), "MiB");
  result("post", "rate", N / el, "posts/s");
  process.removeAllListeners("beforeExit");
});
