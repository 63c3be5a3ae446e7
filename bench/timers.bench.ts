// Workload "timers" (../shared/bench/README.md §4), poe-ts version.
// Delays d_i in [0, 1) s from MINSTD (x = x*48271 mod 2^31-1, seed 42,
// d = x/(2^31-1)), generated before timing. Read the clock (T0); schedule
// timer i due at T0 + d_i with alarm_set; remove every odd-numbered timer by
// its id with alarm_remove. The N/2 kept timers must fire exactly once, in
// non-decreasing order of due time. Metric: wall ms from T0 to the last fire.
import { performance } from "node:perf_hooks";
import { POE, KERNEL, ARG0 } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.js";

const N = Number(process.argv[2] ?? 1e5);
const delays = new Float64Array(N);
let x = 42;
for (let i = 0; i < N; i++) {
  x = (x * 48271) % 2147483647;
  delays[i] = x / 2147483647;
}

const fired = new Uint8Array(N);
let firedCount = 0;
let lastDue = -Infinity;
let outOfOrder = 0;
let T0 = 0;
let tSched = 0;
let tRemoved = 0;
let tLast = 0;
let lastLate = 0;

POE.Session.create({
  inline_states: {
    _start: (_) => {
      const kernel = _[KERNEL];
      const ids = new Array<number>(N);
      const t0 = performance.now();
      T0 = POE.time();
      for (let i = 0; i < N; i++) ids[i] = kernel.alarm_set("fire", T0 + (delays[i] as number), i) as number;
      tSched = performance.now() - t0;
      const t1 = performance.now();
      for (let i = 1; i < N; i += 2) kernel.alarm_remove(ids[i]);
      tRemoved = performance.now() - t1;
    },
    fire: (_) => {
      const i = _[ARG0] as number;
      const due = T0 + (delays[i] as number);
      if (i % 2 === 1 || fired[i]) fail(`timers: timer ${i} fired wrongly`);
      fired[i] = 1;
      if (due < lastDue) outOfOrder++;
      lastDue = due;
      if (++firedCount === Math.ceil(N / 2)) {
        const now = POE.time();
        tLast = (now - T0) * 1000;
        lastLate = (now - due) * 1000;
      }
    },
  },
});

await POE.Kernel.run();
if (firedCount !== Math.ceil(N / 2) || outOfOrder !== 0) fail(`timers: ${firedCount} fired, ${outOfOrder} out of order`);
metric("timers", "schedule", tSched, "ms");
metric("timers", "remove_half", tRemoved, "ms");
metric("timers", "last_fire_late", lastLate, "ms", 2);
metric("timers", "cpu", cpuMs(), "ms", 0);
metric("timers", "peak_rss", peakRssMiB(), "MiB");
result("timers", "total", tLast, "ms");
