#!/usr/bin/env node
// Benchmark harness: `npm run bench [-- NAME… ] [--runs R] [--scale S]`.
// Builds the library and bench/*.bench.ts with tsc (into dist/), then runs
// each workload's poe-ts script (dist/bench/NAME.bench.js) and its raw-Node
// baseline (bench/raw/NAME.mjs) in alternating pairs, R rounds, and prints
// the median (min..max) of every metric and the median per-round ratio
// (poe-ts cost / raw cost; above 1 means poe-ts is slower). Each script
// checks its own results and prints no RESULT line when they are wrong.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./median.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return Number(v);
};
const runs = opt("--runs", 5);
const scale = opt("--scale", 1);
const filters = argv;

/** Default N per workload (../shared/bench/README.md) and extra raw modes. */
const SIZES = { yield: 1e6, post: 1e6, call: 1e6, timers: 1e5, sessions: 1e5, tcp_lines: 1e6, tcp_echo_rtt: 2e4, tcp_many_clients: 1000, tcp_client_lines: 1e6, tcp_client_echo_rtt: 2e4 };
const EXTRA_RAW = { yield: ["queue"], post: ["queue"] };
const LOWER_IS_BETTER = new Set(["total"]);

const build = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.bench.json"], { cwd: root, encoding: "utf8" });
if (build.status !== 0) {
  process.stdout.write(build.stdout);
  console.error("bench: build failed");
  process.exit(1);
}

const names = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  // filters.bench.ts is not a METRIC/RESULT workload: run it by hand.
  .filter((n) => n.replace(/-/g, "_") in SIZES)
  .filter((n) => filters.length === 0 || filters.some((f) => n.includes(f)))
  .sort();

function runOne(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", timeout: 600_000 });
  const metrics = {};
  let primary;
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /^(METRIC|RESULT) (\S+) (\S+)=(-?[\d.]+) (\S+)/.exec(line);
    if (!m) continue;
    metrics[m[3]] = { value: Number(m[4]), unit: m[5] };
    if (m[1] === "RESULT") primary = m[3];
  }
  if (primary === undefined) process.stderr.write(`bench: ${cmd} ${args.join(" ")} failed (exit ${r.status})\n${r.stderr}\n`);
  return { metrics, primary };
}

const fmt = (v) => (Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : Math.abs(v) >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(1));

console.log(`node ${process.version}, ${runs} rounds, scale ${scale}`);
for (const name of names) {
  const workload = name.replace(/-/g, "_");
  const n = String(Math.max(1, Math.round((SIZES[workload] ?? 1e5) * scale)));
  const impls = [["poe-ts", "node", [join("dist/bench", `${name}.bench.js`), n]]];
  const raw = join("bench/raw", `${name}.mjs`);
  if (existsSync(join(root, raw))) {
    impls.push(["raw", "node", [raw, n]]);
    for (const mode of EXTRA_RAW[workload] ?? []) impls.push([`raw ${mode}`, "node", [raw, n, mode]]);
  }
  const samples = Object.fromEntries(impls.map(([label]) => [label, []]));
  for (let round = 0; round < runs; round++) {
    for (const [label, cmd, args] of round % 2 ? [...impls].reverse() : impls) samples[label].push(runOne(cmd, args));
  }
  console.log(`\n## ${workload} (N=${n})`);
  for (const [label] of impls) {
    const ok = samples[label].filter((s) => s.primary !== undefined);
    const keys = Object.keys(ok[0]?.metrics ?? {});
    const parts = keys.map((k) => {
      const vals = ok.map((s) => s.metrics[k]?.value).filter((v) => v !== undefined);
      return `${k}=${fmt(median(vals))} (${fmt(Math.min(...vals))}..${fmt(Math.max(...vals))}) ${ok[0].metrics[k].unit}`;
    });
    console.log(`- ${label} [${ok.length}/${runs} ok]: ${parts.join("; ")}`);
  }
  if (samples.raw) {
    const ratios = [];
    for (let i = 0; i < runs; i++) {
      const a = samples["poe-ts"][i];
      const b = samples.raw[i];
      if (!a.primary || !b.primary) continue;
      const va = a.metrics[a.primary].value;
      const vb = b.metrics[b.primary].value;
      ratios.push(LOWER_IS_BETTER.has(a.primary) ? va / vb : vb / va);
    }
    console.log(`- ratio poe-ts cost / raw cost (median of rounds): ${median(ratios).toFixed(2)}`);
  }
}
