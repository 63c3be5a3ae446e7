// fast-check helpers shared by the filter tests: splitting a wire into
// chunks, and the chunking / round-trip / get_pending properties.

import { Buffer } from "node:buffer";
import fc from "fast-check";
import type { Filter } from "../../filters/filter.js";
import { plain } from "./filter-conformance.js";

/** The wire as one Buffer. */
export function wireBytes(chunks: readonly unknown[]): Buffer {
  return Buffer.concat(chunks.map((chunk) => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))));
}

/** An arbitrary way of cutting `bytes` into consecutive non-empty chunks. */
export function splitsOf(bytes: Buffer): fc.Arbitrary<Buffer[]> {
  if (bytes.length < 2) return fc.constant(bytes.length === 0 ? [] : [bytes]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: Math.min(bytes.length - 1, 40) })
    .map((cuts) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const cut of [...sorted, bytes.length]) {
        chunks.push(bytes.subarray(from, cut));
        from = cut;
      }
      return chunks;
    });
}

/** Every chunk fed through get_one_start/get_one, one at a time. */
export function feedOneByOne(filter: Filter, chunks: readonly Buffer[]): unknown[] {
  const records: unknown[] = [];
  for (const chunk of chunks) records.push(...filter.get([chunk]));
  return records;
}

/**
 * The three properties of STYLE.md §6 for a byte filter whose put and get
 * are inverses on `records`: any chunking of put(records) gets records back;
 * and after k get_one() calls get_pending() is exactly put(records[k..]).
 */
export function assertFramingProperties<T>(make: () => Filter, records: fc.Arbitrary<T[]>, runs = 150): void {
  const cases = records.chain((list) => {
    const bytes = wireBytes(make().put(list));
    return fc.tuple(fc.constant(list), splitsOf(bytes), fc.nat({ max: list.length }));
  });
  fc.assert(
    fc.property(cases, ([list, chunks, taken]) => {
      const expected = plain(list);
      const whole = plain(make().get([wireBytes(chunks)]));
      const split = plain(feedOneByOne(make(), chunks));
      if (JSON.stringify(whole) !== JSON.stringify(expected)) throw new Error(`one chunk gave ${JSON.stringify(whole)}`);
      if (JSON.stringify(split) !== JSON.stringify(expected)) throw new Error(`chunks gave ${JSON.stringify(split)}`);
      const partial = make();
      partial.get_one_start(chunks);
      for (let index = 0; index < taken; index += 1) partial.get_one();
      const pending = partial.get_pending();
      const rest = wireBytes(make().put(list.slice(taken)));
      const got = pending === undefined ? Buffer.alloc(0) : wireBytes(pending);
      if (!got.equals(rest)) throw new Error(`pending ${got.toString("latin1")} != ${rest.toString("latin1")}`);
      const next = plain(make().get(pending ?? []));
      if (JSON.stringify(next) !== JSON.stringify(plain(list.slice(taken)))) throw new Error("switching filters lost records");
    }),
    { numRuns: runs },
  );
}
