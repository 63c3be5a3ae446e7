// Workload "post" (../shared/bench/README.md §2), poe-ts version.
// Two sessions with aliases ping and pong. ping's _start reads the clock (t0)
// and posts "ping" (n=1) to alias pong. Each handler receives n; if n < N it
// posts the other event with n+1 to the other alias. The handler that
// receives n == N reads the clock (t1). Exactly N posts are delivered, each
// resolved by alias. Metric: N / (t1 - t0) posts/s.
import { performance } from "node:perf_hooks";
import { POE, KERNEL, ARG0 } from "../index.js";
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.js";

const N = Number(process.argv[2] ?? 1e6);
let delivered = 0;
let t0 = 0;
let t1 = 0;

function handler(next: string, to: string) {
  return (_: any) => {
    const n = _[ARG0] as number;
    delivered++;
    if (n < N) _[KERNEL].post(to, next, n + 1);
    else t1 = performance.now();
  };
}

POE.Session.create({
  inline_states: {
    _start: (_) => _[KERNEL].alias_set("pong"),
    ping: handler("pong", "ping"),
  },
});
POE.Session.create({
  inline_states: {
    _start: (_) => {
      _[KERNEL].alias_set("ping");
      _[KERNEL].yield("go");
    },
    go: (_) => {
      t0 = performance.now();
      _[KERNEL].post("pong", "ping", 1);
    },
    pong: handler("ping", "pong"),
  },
});

await POE.Kernel.run();
if (delivered !== N) fail(`post: ${delivered} posts delivered, expected ${N}`);
const elapsed = (t1 - t0) / 1000;
metric("post", "elapsed", elapsed * 1000, "ms");
metric("post", "ns_per_post", (elapsed / N) * 1e9, "ns", 0);
metric("post", "cpu", cpuMs(), "ms", 0);
metric("post", "peak_rss", peakRssMiB(), "MiB");
result("post", "rate", N / elapsed, "posts/s");
