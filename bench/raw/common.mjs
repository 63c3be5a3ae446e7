// Output helpers for the raw-Node baselines (same METRIC/RESULT contract).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
export const peakRssMiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "latin1"))[1]) / 1024;
export const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
export const metric = (w, n, v, u, d = 1) => console.log(`METRIC ${w} ${n}=${v.toFixed(d)} ${u}`);
export const result = (w, n, v, u) => console.log(`RESULT ${w} ${n}=${v.toFixed(0)} ${u}`);
export const fail = (m) => { console.error(m); process.exit(1); };

/**
 * The baselines' hand-made line splitting: calls `onLine` for every complete
 * line of `tail + chunk` (latin1 text, "\n"-terminated, a "\r" before it
 * dropped, as Filter::Line would) and returns the unterminated rest.
 */
export function splitLines(tail, chunk, onLine) {
  const text = tail === "" ? chunk : tail + chunk;
  let from = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
    onLine(text.slice(from, nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    from = nl + 1;
  }
  return from === text.length ? "" : text.slice(from);
}

/** Start ../shared/bench/server/tcp_server.mjs (or $POE_BENCH_SERVER) with `args`; resolves { child, port }. */
export function startServer(...args) {
  const server = process.env.POE_BENCH_SERVER ?? new URL("../../../shared/bench/server/tcp_server.mjs", import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [server, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    child.on("error", reject);
    createInterface({ input: child.stdout }).once("line", (l) => {
      const m = /^PORT (\d+)/.exec(l);
      if (!m) reject(new Error(`server said: ${l}`));
      else resolve({ child, port: Number(m[1]) });
    });
  });
}

/** Re-run this script under a raised soft open-files limit (Node has no setrlimit). */
export function raiseFileLimit(workload, want) {
  const m = /^Max open files\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "latin1"));
  const soft = !m ? 0 : m[1] === "unlimited" ? Infinity : Number(m[1]);
  if (soft >= want) return;
  if (process.env.BENCH_NOFILE_REEXEC) fail(`${workload}: cannot raise open-files limit to ${want}`);
  const r = spawnSync("sh", ["-c", 'ulimit -n "$1" && shift && exec "$@"', "sh", String(want), process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_NOFILE_REEXEC: "1" },
  });
  process.exit(r.status ?? 1);
}
