// Filter throughput: records/s of Line, Block and Reference get() at input
// chunk sizes 16 .. 65536 bytes on 100-byte records, beside a raw
// Buffer.indexOf(10) split loop in the same run (Twisted's
// benchmarks/test_linereceiver.py loops chunk sizes the same way).
// Each result is validated before it is timed; rounds alternate the order of
// the contenders and medians are reported.
//
//   node_modules/.bin/tsx bench/filters.bench.ts [rounds]

import { Buffer } from "node:buffer";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { FilterBlock } from "../filters/block.js";
import type { Filter } from "../filters/filter.js";
import { FilterLine } from "../filters/line.js";
import { FilterReference } from "../filters/reference.js";

const RECORD_BYTES = 100;
const RECORDS = 100_000;
const CHUNK_SIZES = [16, 64, 256, 1024, 65536];
const ROUNDS = Number(process.argv[2] ?? 7);

type Contender = { name: string; wire: Buffer; run: (chunks: Buffer[]) => unknown[]; check: (records: unknown[]) => boolean };

const lines = Array.from({ length: RECORDS }, (_, index) => `${String(index).padStart(8, "0")} ${"x".repeat(RECORD_BYTES - 10)}`);
const lineWire = Buffer.from(lines.map((line) => `${line}\n`).join(""));
const blockWire = Buffer.concat(FilterBlock.new().put(lines.map((line) => line.slice(0, RECORD_BYTES - 4))));
const objects = lines.map((_, index) => ({ i: index, s: "y".repeat(RECORD_BYTES - 20 - String(index).length) }));
const referenceWire = Buffer.concat(FilterReference.new().put(objects));

// The baseline: what a hand-written line splitter costs.
function rawSplit(chunks: Buffer[]): string[] {
  const out: string[] = [];
  let carry: Buffer | undefined;
  for (const chunk of chunks) {
    const bytes: Buffer = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    let start = 0;
    for (let end = bytes.indexOf(10, start); end !== -1; end = bytes.indexOf(10, start)) {
      out.push(bytes.toString("utf8", start, end));
      start = end + 1;
    }
    carry = start < bytes.length ? bytes.subarray(start) : undefined;
  }
  return out;
}

function throughFilter(filter: Filter, chunks: Buffer[]): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunks) for (const record of filter.get([chunk])) out.push(record);
  return out;
}

const sameLines = (records: unknown[]): boolean => records.length === RECORDS && records[0] === lines[0] && records[RECORDS - 1] === lines[RECORDS - 1];

const contenders: Contender[] = [
  { name: "raw indexOf", wire: lineWire, run: rawSplit, check: sameLines },
  { name: "Line", wire: lineWire, run: (chunks) => throughFilter(FilterLine.new({ Literal: "\n" }), chunks), check: sameLines },
  { name: "Line default", wire: lineWire, run: (chunks) => throughFilter(FilterLine.new(), chunks), check: sameLines },
  {
    name: "Block",
    wire: blockWire,
    run: (chunks) => throughFilter(FilterBlock.new(), chunks),
    check: (records) => records.length === RECORDS && String(records[RECORDS - 1]) === (lines[RECORDS - 1] as string).slice(0, RECORD_BYTES - 4),
  },
  {
    name: "Reference",
    wire: referenceWire,
    run: (chunks) => throughFilter(FilterReference.new(), chunks),
    check: (records) => records.length === RECORDS && JSON.stringify(records[RECORDS - 1]) === JSON.stringify(objects[RECORDS - 1]),
  },
];

function split(wire: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < wire.length; start += size) chunks.push(wire.subarray(start, start + size));
  return chunks;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const results = new Map<string, number[]>();
for (const size of CHUNK_SIZES) {
  for (const contender of contenders) {
    if (!contender.check(contender.run(split(contender.wire, size)))) throw new Error(`validation failed: ${contender.name} at ${size}`);
  }
}
for (let round = 0; round < ROUNDS; round += 1) {
  for (const size of CHUNK_SIZES) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const chunks = split(contender.wire, size);
      const started = performance.now();
      contender.run(chunks);
      const seconds = (performance.now() - started) / 1000;
      const key = `${contender.name}@${size}`;
      results.set(key, [...(results.get(key) ?? []), RECORDS / seconds]);
    }
  }
}

console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), ${ROUNDS} rounds, ${RECORDS} records of ${RECORD_BYTES} bytes`);
console.log(["chunk", ...contenders.map((c) => c.name), "Line/raw"].join(" | "));
for (const size of CHUNK_SIZES) {
  const medians = contenders.map((contender) => median(results.get(`${contender.name}@${size}`) ?? []));
  const ratio = (medians[1] as number) / (medians[0] as number);
  console.log([String(size), ...medians.map((value) => `${(value / 1e6).toFixed(2)}M`), ratio.toFixed(2)].join(" | "));
}
