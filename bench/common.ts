/**
 * Shared helpers for the poe-ts benchmark scripts: the METRIC/RESULT output
 * contract of ../shared/bench/README.md, peak RSS from /proc, and the TCP
 * peer the tcp_* workloads talk to.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The process's peak resident set size (VmHWM) in MiB. */
export function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "latin1"));
  return m ? Number(m[1]) / 1024 : -1;
}

/** Process CPU time (user + system) in ms since start. */
export function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

export function metric(workload: string, name: string, value: number, unit: string, digits = 1): void {
  console.log(`METRIC ${workload} ${name}=${value.toFixed(digits)} ${unit}`);
}

export function result(workload: string, name: string, value: number, unit: string): void {
  console.log(`RESULT ${workload} ${name}=${value.toFixed(0)} ${unit}`);
}

/**
 * The end of a tcp_lines run (both poe-ts versions): check that all `m`
 * lines of `lineBytes - 1` payload bytes arrived, then print the metrics
 * and the RESULT line for `elapsedMs`.
 */
export function reportLines(m: number, lineBytes: number, lines: number, bytes: number, elapsedMs: number): void {
  if (lines !== m || bytes !== m * (lineBytes - 1)) fail(`tcp_lines: got ${lines} lines / ${bytes} bytes, expected ${m} / ${m * (lineBytes - 1)}`);
  const seconds = elapsedMs / 1000;
  metric("tcp_lines", "elapsed", elapsedMs, "ms");
  metric("tcp_lines", "throughput", (m * lineBytes) / seconds / 1e6, "MB/s", 2);
  metric("tcp_lines", "cpu", cpuMs(), "ms", 0);
  metric("tcp_lines", "peak_rss", peakRssMiB(), "MiB");
  result("tcp_lines", "rate", m / seconds, "lines/s");
}

/**
 * The end of a tcp_many_clients run (its bench script and
 * bench/probes/layers.mjs): check the errors, echoes and disconnects of
 * `c` clients, then print the metrics and the RESULT line for the clock's
 * start `t0`, the end of the create loop `tCreated` and the last disconnect `t1`.
 */
export function reportManyClients(c: number, exchanges: number, tally: { errors: string[]; echoes: number; done: number }, t0: number, tCreated: number, t1: number): void {
  const { errors, echoes, done } = tally;
  if (errors.length) fail(`tcp_many_clients: ${errors.length} errors, first: ${errors[0]}`);
  if (echoes !== c * exchanges || done !== c) fail(`tcp_many_clients: ${echoes} echoes, ${done} disconnects, expected ${c * exchanges}, ${c}`);
  const seconds = (t1 - t0) / 1000;
  metric("tcp_many_clients", "create_loop", tCreated - t0, "ms");
  metric("tcp_many_clients", "connections_per_s", c / seconds, "conn/s", 0);
  metric("tcp_many_clients", "cpu", cpuMs(), "ms", 0);
  metric("tcp_many_clients", "peak_rss", peakRssMiB(), "MiB");
  result("tcp_many_clients", "total", seconds * 1000, "ms");
}

/** Fail a correctness check: message on stderr, no RESULT line, exit 1. */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * Start ../shared/bench/server/tcp_server.mjs (or $POE_BENCH_SERVER) with
 * `args` and resolve with the process and the port it printed. The server
 * is looked for upwards from this file, so bench/ and dist/bench/ both work.
 */
export function startServer(...args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const server = process.env.POE_BENCH_SERVER ?? findServer();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [server, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    child.on("error", reject);
    createInterface({ input: child.stdout! }).once("line", (l) => {
      const m = /^PORT (\d+)/.exec(l);
      if (!m) reject(new Error(`server said: ${l}`));
      else resolve({ child, port: Number(m[1]) });
    });
  });
}

function findServer(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    const path = join(dir, "shared", "bench", "server", "tcp_server.mjs");
    if (existsSync(path)) return path;
  }
  return fail("bench: ../shared/bench/server/tcp_server.mjs not found (set POE_BENCH_SERVER)");
}

/** Re-run this script under a raised soft open-files limit (Node has no setrlimit). */
export function raiseFileLimit(workload: string, want: number): void {
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
