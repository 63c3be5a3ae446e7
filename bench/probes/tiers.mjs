// Probe (not a workload): what the client's main thread of tcp_many_clients
// does with its time, sampled by Linux `perf` (Debian package linux-perf;
// the cpu-clock software event, so it works in a VM without hardware
// counters), for raw Node and for Client.TCP alike. Each run is recorded
// with `perf record -e cpu-clock -F 20000 -g` and Node's
// `--perf-basic-prof --interpreted-frames-native-stack` (JavaScript frames
// named with their tier: `~` interpreted, `^` baseline, `*` optimised);
// the main thread's samples from the first one under the function that
// makes the clients (raw Node's `client`, Client.TCP's `startClient`) to
// the end are counted, 0.05 ms each, by:
//   kind     what the sampled instruction was: a system call (the kernel
//            under `do_syscall_64`), JavaScript code, a V8 builtin (inline
//            caches, calls, string and array builtins), V8's runtime and
//            other C++, the compiler or parser, the garbage collector,
//            Node's and libuv's C++, a page fault or interrupt, the rest
//   tier     outside system calls, faults and interrupts: the nearest
//            JavaScript frame's tier, the builtins and runtime it calls
//            included: interpreted or baseline against optimised
//   cold     the functions that spend most in the interpreter and baseline,
//            with what they call in V8 (system calls left out)
// and, for Client.TCP, how far into the window the read path (ReadWrite's
// `#drainLines`) first runs optimised. Sampling slows the run by about a
// third; the figures are for comparing the two, not absolute.
// `node bench/probes/tiers.mjs [ROUNDS] [C]` runs both ROUNDS times (default
// 3, C=1000) and prints medians. Uses dist/: build it with
// `npx tsc -p tsconfig.bench.json`. docs/benchmarks.md (run W) has the figures.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { median } from "../median.mjs";
import { roundsAndClients, SCRIPTS } from "./hooked.mjs";

const MS_PER_SAMPLE = 0.05; // -F 20000
const COLD_TOP = 25;
// The frame each client makes its clients under: where the window starts.
const STARTS = { raw: /^JS:.client file:.*\/bench\/raw\/tcp-many-clients\.mjs:/, client: /^JS:.startClient / };
const RUNS = SCRIPTS.map(([label, script]) => [label, script, STARTS[label]]);
const READ_PATH = /^JS:\*#drainLines /;
const KINDS = ["syscall", "JS code", "builtin", "V8 runtime/other", "compile/parse", "GC", "Node/libuv", "fault/irq", "other"];

/** What a sample's leaf instruction was, from its frames (leaf first). */
function kindOf(frames) {
  if (frames.includes("do_syscall_64")) return "syscall";
  if (frames.slice(0, 12).some((f) => f.startsWith("asm_exc_") || f.startsWith("asm_sysvec_") || f.startsWith("asm_common_interrupt"))) return "fault/irq";
  const leaf = frames[0];
  if (leaf.startsWith("JS:")) return "JS code";
  if (leaf.startsWith("Builtins_")) return "builtin";
  if (/Scaveng|MarkCompact|Heap::|GCTracer|Sweep|Evacuat|Marking/.test(leaf)) return "GC";
  if (/compiler::|Compile|Parser|Scanner|Bytecode/.test(leaf)) return "compile/parse";
  if (leaf.includes("v8::")) return "V8 runtime/other";
  if (/node::|uv_|uv__/.test(leaf)) return "Node/libuv";
  return "other";
}

/** A frame's name without the dist/ or node:internal/ prefix, for printing. */
function short(frame) {
  return frame.replace(/file:\/\/\S*?\/(dist\/|bench\/)/, "$1").replace("node:internal/", "").slice(0, 90);
}

/** Record one run under perf and count its main thread's samples in the window. */
async function sample(dir, script, start, c) {
  const data = join(dir, "perf.data");
  // The open-files limit raised here, so that the script does not re-execute
  // itself without the flags; code not moved by a full collection, so that
  // the perf map Node writes stays true.
  const flags = "--perf-basic-prof --interpreted-frames-native-stack --no-compact-code-space";
  const rec = spawnSync("sh", ["-c", `ulimit -n ${Number(c) + 64} && exec perf record -q -e cpu-clock -F 20000 -g -o "$0" "$1" ${flags} "$2" "$3"`, data, process.execPath, script, c], { encoding: "utf8" });
  if (rec.status !== 0 || !/^RESULT /m.test(rec.stdout)) throw new Error(`perf record of ${script} failed: ${rec.stderr || rec.stdout}`);
  const total = Number(/^RESULT \S+ total=([\d.]+)/m.exec(rec.stdout)[1]);
  const kinds = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const tiers = { "interpreted/baseline": 0, optimised: 0, "no JS frame": 0 };
  const cold = new Map();
  let pid;
  let first;
  let last = 0;
  let readPathAt;
  let frames;
  let time = 0;
  let started = false;
  let samplePid;
  const count = () => {
    if (frames === undefined || frames.length === 0) return;
    if (!started) {
      if (!frames.some((f) => start.test(f))) return;
      // The client's main thread: the process whose main thread makes the clients.
      started = true;
      pid = samplePid;
      first = time;
    }
    last = time;
    if (readPathAt === undefined && frames.some((f) => READ_PATH.test(f))) readPathAt = time;
    const kind = kindOf(frames);
    kinds[kind] += 1;
    if (kind === "syscall" || kind === "fault/irq") return;
    const js = frames.find((f) => f.startsWith("JS:"));
    if (js === undefined) tiers["no JS frame"] += 1;
    else if (js[3] === "*") tiers.optimised += 1;
    else {
      tiers["interpreted/baseline"] += 1;
      cold.set(short(js), (cold.get(short(js)) ?? 0) + 1);
    }
  };
  const reader = spawn("perf", ["script", "-i", data, "-F", "pid,tid,time,ip,sym"], { stdio: ["ignore", "pipe", "ignore"] });
  for await (const line of createInterface({ input: reader.stdout })) {
    if (line.length === 0) continue;
    // A sample's header ("  4046/4046  18913.699237:", the PID padded to
    // five places), or one of its frames (a tab, the address, the symbol).
    const m = /^ *(\d+)\/(\d+)\s+([\d.]+):/.exec(line);
    if (m !== null) {
      count();
      samplePid = m[1];
      frames = m[1] === m[2] && (pid === undefined || m[1] === pid) ? [] : undefined;
      time = Number(m[3]) * 1000;
      continue;
    }
    if (frames === undefined) continue;
    const at = line.trim().indexOf(" ");
    if (at > 0) frames.push(line.trim().slice(at + 1).replace(/ \(\S+\)$/, ""));
  }
  count();
  if (!started) throw new Error(`no sample of ${script} under ${start}`);
  const ms = (n) => n * MS_PER_SAMPLE;
  return {
    total,
    window: last - first,
    sampled: ms(Object.values(kinds).reduce((a, b) => a + b, 0)),
    kinds: Object.fromEntries(Object.entries(kinds).map(([k, n]) => [k, ms(n)])),
    tiers: Object.fromEntries(Object.entries(tiers).map(([k, n]) => [k, ms(n)])),
    cold: new Map([...cold].map(([k, n]) => [k, ms(n)])),
    readPath: readPathAt === undefined ? undefined : readPathAt - first,
  };
}

const { rounds, c } = roundsAndClients(process.argv.slice(2).length ? process.argv.slice(2) : ["3"]);
if (spawnSync("perf", ["--version"]).status !== 0) throw new Error("perf is not installed (Debian: apt-get install linux-perf)");
const dir = mkdtempSync(join(tmpdir(), "poe-tiers-"));
const perfMaps = () => readdirSync(tmpdir()).filter((f) => /^perf-\d+\.map$/.test(f));
const mapsBefore = new Set(perfMaps());
const results = { raw: [], client: [] };
try {
  for (let r = 0; r < rounds; r++) {
    for (const [label, script, start] of r % 2 ? [...RUNS].reverse() : RUNS) results[label].push(await sample(dir, script, start, c));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  // The perf maps Node wrote for these runs (the clients' and their echo servers').
  for (const f of perfMaps()) if (!mapsBefore.has(f)) rmSync(join(tmpdir(), f), { force: true });
}

const fmt = (x) => x.toFixed(0);
console.log(`node ${process.version}, ${rounds} rounds, C=${c}; medians; sampled main-thread ms (0.05 ms a sample) from the first client's creation on`);
for (const label of ["raw", "client"]) {
  const runs = results[label];
  const m = (f) => median(runs.map(f));
  console.log(`\n${label}: total ${fmt(m((x) => x.total))} ms under perf; window ${fmt(m((x) => x.window))} ms, sampled ${fmt(m((x) => x.sampled))} ms`);
  console.log(`  kind: ${KINDS.map((k) => `${k} ${fmt(m((x) => x.kinds[k]))}`).join(", ")}`);
  console.log(`  tier: ${Object.keys(runs[0].tiers).map((k) => `${k} ${fmt(m((x) => x.tiers[k]))}`).join(", ")}`);
  if (label === "client") {
    const at = runs.map((x) => x.readPath).filter((x) => x !== undefined);
    console.log(`  the read path (#drainLines) first optimised at ${at.length ? fmt(median(at)) : "-"} ms of the window`);
  }
  const names = new Set(runs.flatMap((x) => [...x.cold.keys()]));
  const rows = [...names].map((k) => [k, median(runs.map((x) => x.cold.get(k) ?? 0))]).sort((a, b) => b[1] - a[1]).slice(0, COLD_TOP);
  console.log("  cold (interpreted/baseline, with what it calls in V8):");
  for (const [k, v] of rows) console.log(`    ${v.toFixed(1).padStart(6)}  ${k}`);
}
