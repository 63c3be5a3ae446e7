/**
 * Shared helpers for the poe-ts benchmark scripts: the METRIC/RESULT output
 * contract of ../shared/bench/README.md and peak RSS from /proc.
 */
import { readFileSync } from "node:fs";

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

/** Fail a correctness check: message on stderr, no RESULT line, exit 1. */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
