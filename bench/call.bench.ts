// Workload "call" (../shared/bench/README.md §3), poe-ts version.
// Session B has alias "callee" and handler "work" returning ARG0 + 1.
// Session A reads the clock, loops i = 1..N: r = call("callee", "work", i),
// checking r == i + 1, then reads the clock. Metric: N / elapsed calls/s.
import { performance } from "node:perf_hooks";
import { POE, KERNEL, ARG0 } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.js";

const N = Number(process.argv[2] ?? 1e6);
let elapsed = 0;
let bad = 0;

POE.Session.create({
  inline_states: {
    _start: (_) => _[KERNEL].alias_set("callee"),
    work: (_) => (_[ARG0] as number) + 1,
    done: (_) => _[KERNEL].alias_remove("callee"),
  },
});
POE.Session.create({
  inline_states: {
    _start: (_) => _[KERNEL].yield("go"),
    go: (_) => {
      const kernel = _[KERNEL];
      const t0 = performance.now();
      for (let i = 1; i <= N; i++) {
        const r = kernel.call("callee", "work", i);
        if (r !== i + 1) bad++;
      }
      elapsed = (performance.now() - t0) / 1000;
      kernel.post("callee", "done");
    },
  },
});

await POE.Kernel.run();
if (bad !== 0 || elapsed === 0) fail(`call: ${bad} wrong return values`);
metric("call", "elapsed", elapsed * 1000, "ms");
metric("call", "ns_per_call", (elapsed / N) * 1e9, "ns", 0);
metric("call", "cpu", cpuMs(), "ms", 0);
metric("call", "peak_rss", peakRssMiB(), "MiB");
result("call", "rate", N / elapsed, "calls/s");
