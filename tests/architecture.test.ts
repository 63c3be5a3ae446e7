// The module boundaries of STYLE.md §1: filters/ imports none of ours,
// kernel/ imports nothing of wheels/ or components/, nothing imports
// components/ but the package entry, and filters/ use no sockets or timers.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const p = join(root, dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(relative(root, p)));
    else if (name.endsWith(".ts")) out.push(relative(root, p));
  }
  return out;
}

/** Every module specifier a file imports or re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+["']([^"']+)["']/gms)) specs.push(m[1] as string);
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1] as string);
  return specs;
}

/** The top-level area a relative import from `file` lands in. */
function areaOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const target = relative(root, join(root, file, "..", spec));
  return target.split("/")[0];
}

function violations(area: string, forbidden: string[]): string[] {
  const bad: string[] = [];
  for (const file of sources(area)) {
    for (const spec of importsOf(file)) {
      const to = areaOf(file, spec);
      if (to !== undefined && forbidden.includes(to)) bad.push(`${file} -> ${spec}`);
    }
  }
  return bad;
}

const boundaries = suite("module boundaries");

boundaries("filters/ imports nothing of kernel/, wheels/ or components/", () => {
  assert.equal(violations("filters", ["kernel", "wheels", "components", "index.ts"]), []);
});

boundaries("filters/ use no sockets and no timers", () => {
  const bad = sources("filters").filter((f) => {
    const text = readFileSync(join(root, f), "utf8");
    return /from\s+["']node:(net|dgram|timers)["']/.test(text) || /\b(setTimeout|setImmediate|setInterval|queueMicrotask)\(/.test(text);
  });
  assert.equal(bad, []);
});

boundaries("kernel/ imports nothing of wheels/, filters/ or components/", () => {
  assert.equal(violations("kernel", ["wheels", "filters", "components", "index.ts"]), []);
});

boundaries("wheels/ import nothing of components/", () => {
  assert.equal(violations("wheels", ["components", "index.ts"]), []);
});

boundaries("only the package entry imports components/", () => {
  assert.equal(violations("kernel", ["components"]).concat(violations("wheels", ["components"]), violations("filters", ["components"])), []);
});

boundaries("only kernel/ calls setTimeout, setImmediate, queueMicrotask or process.nextTick", () => {
  const bad = [...sources("wheels"), ...sources("filters"), ...sources("components")].filter((f) =>
    /\b(setTimeout|setImmediate|queueMicrotask)\(|\bprocess\.nextTick\(/.test(readFileSync(join(root, f), "utf8")),
  );
  assert.equal(bad, []);
});

boundaries.run();
