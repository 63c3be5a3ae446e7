// Workload "sessions" (../shared/bench/README.md §5), poe-ts version.
// Read the clock (t0), then create N sessions back to back from the top
// level, all sharing the same three handlers. _start: yield "next" (it runs
// synchronously inside create). next: count it; nothing more is queued, so
// the session ends. _stop: count it; the N-th reads the clock (t1).
// Metric: N / (t1 - t0) sessions/s; also create_loop, rss_all_alive, peak_rss.
import { performance } from "node:perf_hooks";
import { POE, KERNEL } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.js";

const N = Number(process.argv[2] ?? 1e5);
let started = 0;
let nexted = 0;
let stopped = 0;
let t1 = 0;

const states = {
  _start: (_: any) => {
    started++;
    _[KERNEL].yield("next");
  },
  next: () => {
    nexted++;
  },
  _stop: () => {
    if (++stopped === N) t1 = performance.now();
  },
};

const t0 = performance.now();
for (let i = 0; i < N; i++) POE.Session.create({ inline_states: states });
const tCreated = performance.now();
const rssCreated = peakRssMiB();
await POE.Kernel.run();

if (started !== N || nexted !== N || stopped !== N) {
  fail(`sessions: started ${started}, next ${nexted}, stopped ${stopped}, expected ${N} each`);
}
const elapsed = (t1 - t0) / 1000;
metric("sessions", "create_loop", tCreated - t0, "ms");
metric("sessions", "elapsed", elapsed * 1000, "ms");
metric("sessions", "us_per_session", (elapsed / N) * 1e6, "us", 2);
metric("sessions", "cpu", cpuMs(), "ms", 0);
metric("sessions", "rss_all_alive", rssCreated, "MiB");
metric("sessions", "peak_rss", peakRssMiB(), "MiB");
result("sessions", "rate", N / elapsed, "sessions/s");
