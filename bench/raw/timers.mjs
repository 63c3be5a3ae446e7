// Raw-Node baseline for "timers": a binary min-heap of records (ties by
// schedule order) plus a Map id -> record; removal marks the record dead;
// one setTimeout armed for the earliest due time. Order is exact.
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.mjs";
const N = Number(process.argv[2] ?? 1e5);
const delays = new Float64Array(N);
let x = 42;
for (let i = 0; i < N; i++) { x = (x * 48271) % 2147483647; delays[i] = x / 2147483647; }
const heap = [], byId = new Map();
const less = (a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq);
function push(r) { heap.push(r); let i = heap.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (!less(heap[i], heap[p])) break; [heap[i], heap[p]] = [heap[p], heap[i]]; i = p; } }
function pop() { const top = heap[0], last = heap.pop(); if (heap.length) { heap[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < heap.length && less(heap[l], heap[m])) m = l; if (r < heap.length && less(heap[r], heap[m])) m = r; if (m === i) break; [heap[i], heap[m]] = [heap[m], heap[i]]; i = m; } } return top; }
const now = () => performance.timeOrigin + performance.now();
let timer;
function arm() { clearTimeout(timer); while (heap.length && heap[0].dead) pop(); if (heap.length) timer = setTimeout(run, Math.max(0, heap[0].due - now())); }
const fired = new Uint8Array(N);
let firedCount = 0, lastDue = -Infinity, bad = 0, tLast = 0, late = 0;
function run() { const t = now(); while (heap.length && heap[0].due <= t) { const r = pop(); if (r.dead) continue; byId.delete(r.seq); fire(r); } arm(); }
function fire(r) { const i = r.i; if (i % 2 === 1 || fired[i]) bad++; fired[i] = 1; if (r.due < lastDue) bad++; lastDue = r.due; if (++firedCount === N / 2) { const t = now(); tLast = t - T0; late = t - r.due; } }
const T0 = now();
const ids = new Array(N);
let seq = 0;
const s0 = performance.now();
for (let i = 0; i < N; i++) { const r = { due: T0 + delays[i] * 1000, seq: ++seq, i, dead: false }; push(r); byId.set(r.seq, r); ids[i] = r.seq; }
const tSched = performance.now() - s0;
const r0 = performance.now();
for (let i = 1; i < N; i += 2) { const r = byId.get(ids[i]); r.dead = true; byId.delete(ids[i]); }
const tRem = performance.now() - r0;
arm();
process.on("beforeExit", () => {
  if (firedCount !== N / 2 || bad) fail(`timers: ${firedCount} fired, ${bad} bad`);
  metric("timers", "schedule", tSched, "ms"); metric("timers", "remove_half", tRem, "ms"); metric("timers", "last_fire_late", late, "ms", 2);
  metric("timers", "cpu", cpuMs(), "ms", 0); metric("timers", "peak_rss", peakRssMiB(), "MiB");
  result("timers", "total", tLast, "ms");
  process.removeAllListeners("beforeExit");
});
