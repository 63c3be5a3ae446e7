#!/usr/bin/env node
// The project's one test command (README: `npm test`): type-check, build,
// every uvu suite, then the conformance cases of the areas built so far
// (tests/conformance.txt). Ends with one line "N passed, M failed"; exits
// non-zero on any failure or when nothing ran.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;

function run(label, cmd, args, opts = {}) {
  process.stdout.write(`\n# ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: opts.timeout ?? 300_000, env: { ...process.env, ...opts.env } });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  if (r.error) process.stdout.write(`${label}: ${r.error.message}\n`);
  return r;
}

function step(label, cmd, args) {
  const r = run(label, cmd, args);
  if (r.status === 0) passed += 1;
  else failed += 1;
}

function suites(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "helpers" || name === "types") continue;
    if (statSync(p).isDirectory()) out.push(...suites(p));
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out.sort();
}

const tsx = join(root, "node_modules", ".bin", "tsx");
const tsc = join(root, "node_modules", ".bin", "tsc");

if (only.length === 0) {
  step("typecheck", tsc, ["-p", "tsconfig.json", "--noEmit"]);
  step("build", tsc, ["-p", "tsconfig.build.json"]);
}

for (const file of suites(join(root, "tests"))) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const r = run(file, tsx, [file], { timeout: 120_000 });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  const total = /Total:\s+(\d+)/.exec(out);
  const ok = /Passed:\s+(\d+)/.exec(out);
  if (total && ok) {
    const t = Number(total[1]);
    const p = Number(ok[1]);
    passed += p;
    failed += t - p;
    if (r.status !== 0 && t === p) failed += 1;
  } else {
    failed += 1;
    process.stdout.write(`${file}: no uvu summary (exit ${r.status})\n`);
  }
}

const listFile = join(root, "tests", "conformance.txt");
const shared = join(root, "..", "shared", "conformance", "run");
if (only.length === 0 && existsSync(listFile)) {
  const cases = readFileSync(listFile, "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
  if (cases.length && !existsSync(shared)) {
    process.stdout.write(`conformance: ${shared} not found\n`);
    failed += 1;
  } else if (cases.length) {
    const r = run("conformance", "bash", [shared, ".", ...cases], { timeout: 600_000 });
    const m = /^(\d+) passed, (\d+) failed$/m.exec(r.stdout ?? "");
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    } else failed += 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
