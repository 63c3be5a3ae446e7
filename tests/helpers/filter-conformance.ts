// A port by intent of POE's t/10_units/05_filters/TestFilter.pm: the checks
// every filter's test file runs, test_filter_interface and test_filter_standard.

import { Buffer } from "node:buffer";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Filter } from "../../filters/filter.js";

/** A filter class as the conformance checks see it. */
export interface FilterClassLike {
  new: (...args: any[]) => Filter;
  prototype: object;
}

const INTERFACE_METHODS = ["get", "get_one_start", "get_one", "put", "get_pending", "clone"] as const;

/** Records as comparable values: Buffers become `Buffer:<latin1 text>`, arrays recurse. */
export function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `Buffer:${value.toString("latin1")}`;
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** The bytes of a list of chunks (strings as UTF-8), as latin1 text: TestFilter's `join('', @$list)`. */
export function joined(list: readonly unknown[]): string {
  return Buffer.concat(list.map((item) => (Buffer.isBuffer(item) ? item : Buffer.from(String(item))))).toString("latin1");
}

/** test_filter_interface: `cls` is a Filter with POE's static `new` and every interface method. */
export function testFilterInterface(name: string, cls: FilterClassLike): void {
  const test = suite(`${name} interface`);

  test("is a subclass of Filter", () => {
    assert.ok(cls.prototype instanceof Filter);
  });

  test("has a static new()", () => {
    assert.type(cls.new, "function");
  });

  for (const method of INTERFACE_METHODS) {
    test(`has the method ${method}()`, () => {
      assert.type((cls.prototype as Record<string, unknown>)[method], "function");
    });
  }

  test.run();
}

/**
 * test_filter_standard: `get(input)` gives `output`; `clone()` empties the
 * buffer and keeps the type; `get_one_start(input)` only buffers; `get_one()`
 * returns arrays and, drained, gives `output`; `put(output)` gives `wire`.
 *
 * `options.pending` reads the buffer for the two buffer checks; Stackable
 * passes its first filter's get_pending, since its own reports the last
 * filter's (POE `Stackable.pm`).
 */
export function testFilterStandard(
  name: string,
  filter: Filter,
  input: unknown[],
  output: unknown[],
  wire: unknown[],
  options: { pending?: (filter: any) => unknown[] | undefined } = {},
): void {
  const test = suite(`${name} standard`);
  const pendingOf = options.pending ?? ((subject: Filter) => subject.get_pending());
  let current = filter;

  test("get() returns the expected records", () => {
    assert.equal(plain(current.get(input)), plain(output));
  });

  test("clone() clears the buffer and keeps the type", () => {
    const type = current.constructor;
    current = current.clone();
    assert.is(pendingOf(current), undefined);
    assert.is(current.constructor, type);
  });

  test("get_one_start() only loads the buffer", () => {
    current.get_one_start(input);
    const pending = pendingOf(current);
    assert.ok(Array.isArray(pending), "get_pending() returns an array");
    assert.is(joined(pending as unknown[]), joined(input));
  });

  test("get_one() returns arrays that drain to the expected records", () => {
    const records: unknown[] = [];
    for (;;) {
      const next = current.get_one();
      assert.ok(Array.isArray(next), "get_one() returns an array");
      if (next.length === 0) break;
      records.push(...next);
    }
    assert.equal(plain(records), plain(output));
  });

  test("put() returns the expected chunks", () => {
    assert.equal(plain(current.put(output)), plain(wire));
  });

  test.run();
}

/** The error `fn` throws; a test failure when it throws nothing. */
export function thrown<E extends Error = Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  throw new Error("expected a throw");
}

/** The console.warn lines `fn` prints, joined per call as Perl's warn would. */
export function warnings(fn: () => unknown): string[] {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.join(" "));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return seen;
}
