// Raw-Node baseline for "call": aliases.get(alias).handlers[event](arg).
import { cpuMs, fail, metric, peakRssMiB, result } from "./common.mjs";
const N = Number(process.argv[2] ?? 1e6);
const aliases = new Map([["callee", { handlers: { work: (n) => n + 1 } }]]);
let bad = 0;
const t0 = performance.now();
for (let i = 1; i <= N; i++) { const r = aliases.get("callee").handlers["work"](i); if (r !== i + 1) bad++; }
const el = (performance.now() - t0) / 1000;
if (bad) fail(`call: ${bad} wrong`);
metric("call", "elapsed", el * 1000, "ms"); metric("call", "cpu", cpuMs(), "ms", 0); metric("call", "peak_rss", peakRssMiB(), "MiB");
result("call", "rate", N / el, "calls/s");
