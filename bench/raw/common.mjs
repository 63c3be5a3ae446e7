// Output helpers for the raw-Node baselines (same METRIC/RESULT contract).
import { readFileSync } from "node:fs";
export const peakRssMiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "latin1"))[1]) / 1024;
export const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
export const metric = (w, n, v, u, d = 1) => console.log(`METRIC ${w} ${n}=${v.toFixed(d)} ${u}`);
export const result = (w, n, v, u) => console.log(`RESULT ${w} ${n}=${v.toFixed(0)} ${u}`);
export const fail = (m) => { console.error(m); process.exit(1); };
