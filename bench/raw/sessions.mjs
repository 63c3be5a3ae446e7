// Raw-Node baseline for "sessions": a session is an EventEmitter with an id,
// a heap object and a pending-event count, kept in a Map; yield is
// setImmediate; at count 0 the session is removed and _stop is emitted.
import { EventEmitter } from "node:events";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.mjs";
const N = Number(process.argv[2] ?? 1e5);
const sessions = new Map();
let nextId = 1, started = 0, nexted = 0, stopped = 0, t1 = 0;
function deliver(s, ev) { s.emit(ev, s); if (--s.pending === 0) { sessions.delete(s.id); s.emit("_stop", s); } }
function yieldEv(s, ev) { s.pending++; setImmediate(deliver, s, ev); }
const onStart = (s) => { started++; yieldEv(s, "next"); };
const onNext = () => { nexted++; };
const onStop = () => { if (++stopped === N) t1 = performance.now(); };
function create() {
  const s = new EventEmitter();
  s.id = nextId++; s.heap = {}; s.pending = 0;
  s.on("_start", onStart).on("next", onNext).on("_stop", onStop);
  sessions.set(s.id, s);
  s.emit("_start", s);
}
const t0 = performance.now();
for (let i = 0; i < N; i++) create();
const tc = performance.now();
const rssCreated = peakRssMiB();
process.on("beforeExit", () => {
  if (started !== N || nexted !== N || stopped !== N) fail("sessions: counts");
  const el = (t1 - t0) / 1000;
  metric("sessions", "create_loop", tc - t0, "ms"); metric("sessions", "elapsed", el * 1000, "ms");
  metric("sessions", "cpu", cpuMs(), "ms", 0); metric("sessions", "rss_all_alive", rssCreated, "MiB"); metric("sessions", "peak_rss", peakRssMiB(), "MiB");
  result("sessions", "rate", N / el, "sessions/s");
  process.removeAllListeners("beforeExit");
});
