// The runner half of the probes that hook tcp_many_clients' client process
// (warmup.mjs, phases.mjs): ROUNDS and C from the command line, then raw
// Node's baseline (bench/raw/tcp-many-clients.mjs) and Client.TCP's
// (dist/bench/tcp-many-clients.bench.js), one process each per round, with
// the probe loaded into each by --import; each run's total and the probe's
// report line are returned for the probe to print.
import { execFileSync } from "node:child_process";

/** The two clients, `[label, path]`: raw Node's baseline and Client.TCP's workload. */
export const SCRIPTS = [
  ["raw", new URL("../raw/tcp-many-clients.mjs", import.meta.url).pathname],
  ["client", new URL("../../dist/bench/tcp-many-clients.bench.js", import.meta.url).pathname],
];

/** `[ROUNDS] [C]` (default 9 and 1000), checked. */
export function roundsAndClients(argv) {
  const [r = "9", c = "1000"] = argv;
  const rounds = Number(r);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`ROUNDS must be a positive integer, got ${r}`);
  if (!Number.isInteger(Number(c)) || Number(c) < 1) throw new Error(`C must be a positive integer, got ${c}`);
  return { rounds, c };
}

/**
 * Run both scripts `rounds` times with C = `c`, the module `hook` (a URL)
 * loaded and `env` set in each; in the same order every round, or
 * reversed every other round with `alternate`. Returns, for "raw" and
 * "client", a list of `{ total, report }`: the RESULT total and the match
 * of `report` (a RegExp for the probe's line, named `what`) in the output.
 * @throws Error when a run prints no RESULT or no report line.
 */
export function runHooked(hook, env, { rounds, c, report, what, alternate }) {
  // NODE_OPTIONS, not a flag: the scripts re-execute themselves under a raised open-files limit.
  const childEnv = { ...process.env, ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${hook}`.trim() };
  const seen = new Map(SCRIPTS.map(([name]) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, script] of alternate && i % 2 ? [...SCRIPTS].reverse() : SCRIPTS) {
      const out = execFileSync(process.execPath, [script, c], { encoding: "utf8", env: childEnv });
      const total = /^RESULT tcp_many_clients total=([\d.]+) ms$/m.exec(out);
      const line = report.exec(out);
      if (!total || !line) throw new Error(`${name}: no RESULT or ${what} line in ${JSON.stringify(out)}`);
      seen.get(name).push({ total: Number(total[1]), report: line });
    }
  }
  return seen;
}
