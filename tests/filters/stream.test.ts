// A port by intent of POE's t/10_units/05_filters/08_stream.t (Filter::Stream
// coalesces chunks; get_pending), plus the port's Buffer records and properties.

import { Buffer } from "node:buffer";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterStream } from "../../filters/stream.js";
import { testFilterInterface, testFilterStandard } from "../helpers/filter-conformance.js";
import { splitsOf } from "../helpers/filter-properties.js";

testFilterInterface("Filter.Stream", FilterStream);

testFilterStandard(
  "Filter.Stream",
  FilterStream.new(),
  ["a", "b", "c", "d"],
  [Buffer.from("abcd")],
  [Buffer.from("abcd")],
);

// ---

const get = suite("Filter.Stream get");

get("coalesces every buffered chunk into one record", () => {
  assert.equal(FilterStream.new().get(["ab", "cd", "ef"]), [Buffer.from("abcdef")]);
});

get("returns nothing for no input", () => {
  assert.equal(FilterStream.new().get([]), []);
});

get("returns the chunk itself when only one is buffered", () => {
  const chunk = Buffer.from("xyz");
  assert.is(FilterStream.new().get([chunk])[0], chunk);
});

get("get_one takes everything, then nothing", () => {
  const filter = FilterStream.new();
  filter.get_one_start(["x", "y"]);
  assert.equal(filter.get_one(), [Buffer.from("xy")]);
  assert.equal(filter.get_one(), []);
});

get("encodes string chunks as UTF-8", () => {
  assert.equal(String(FilterStream.new().get(["h€", "llo"])[0]), "h€llo");
});

get.run();

// ---

const pending = suite("Filter.Stream get_pending");

pending("returns undefined when empty", () => {
  assert.is(FilterStream.new().get_pending(), undefined);
});

pending("returns the buffered bytes without clearing them", () => {
  const filter = FilterStream.new();
  filter.get_one_start(["left", "over"]);
  assert.equal(filter.get_pending(), [Buffer.from("leftover")]);
  assert.equal(filter.get_one(), [Buffer.from("leftover")]);
});

pending.run();

// ---

const put = suite("Filter.Stream put");

put("returns a copy of the chunks, unchanged", () => {
  const chunks = ["p", Buffer.from("q")];
  const out = FilterStream.new().put(chunks);
  assert.equal(out, ["p", Buffer.from("q")]);
  assert.is.not(out, chunks);
});

put("warns about any parameter, as POE takes none", () => {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => void seen.push(message);
  try {
    FilterStream.new({ Foo: 1 } as never);
  } finally {
    console.warn = original;
  }
  assert.equal(seen, ["POE::Filter::Stream ignores unknown parameters: Foo"]);
});

put.run();

// ---

const properties = suite("Filter.Stream properties");

properties("any chunking delivers the same bytes", () => {
  const bytes = fc.uint8Array({ maxLength: 64 }).map((array) => Buffer.from(array));
  fc.assert(
    fc.property(bytes.chain((wire) => fc.tuple(fc.constant(wire), splitsOf(wire))), ([wire, chunks]) => {
      const records = FilterStream.new().get(chunks);
      assert.equal(Buffer.concat(records), wire);
      assert.ok(records.length <= 1);
    }),
  );
});

properties.run();
