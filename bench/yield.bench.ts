// Workload "yield" (../shared/bench/README.md §1), poe-ts version.
// One session. Its _start reads the clock (t0) and yields "tick" to itself.
// The tick handler increments a counter; while the counter is below N it
// yields "tick" again. The N-th tick reads the clock (t1) and yields nothing,
// so the session ends. Metric: N / (t1 - t0) events/s.
import { performance } from "node:perf_hooks";
import { POE, KERNEL } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.js";

const N = Number(process.argv[2] ?? 1e6);
let count = 0;
let t0 = 0;
let t1 = 0;

POE.Session.create({
  inline_states: {
    _start: (_) => {
      t0 = performance.now();
      _[KERNEL].yield("tick");
    },
    tick: (_) => {
      if (++count < N) _[KERNEL].yield("tick");
      else t1 = performance.now();
    },
  },
});

await POE.Kernel.run();
if (count !== N) fail(`yield: ${count} ticks, expected ${N}`);
const elapsed = (t1 - t0) / 1000;
metric("yield", "elapsed", elapsed * 1000, "ms");
metric("yield", "ns_per_event", (elapsed / N) * 1e9, "ns", 0);
metric("yield", "cpu", cpuMs(), "ms", 0);
metric("yield", "peak_rss", peakRssMiB(), "MiB");
result("yield", "rate", N / elapsed, "events/s");
