// A port by intent of POE's t/10_units/05_filters/50_stackable.t: a
// Line -> Map -> Grep -> RecordBlock stack, partial get, get_pending, put
// through the stack, filter_types, push/pop/shift/unshift, clone.

import { Buffer } from "node:buffer";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterGrep } from "../../filters/grep.js";
import { FilterLine } from "../../filters/line.js";
import { FilterMap } from "../../filters/map.js";
import { FilterRecordBlock } from "../../filters/record-block.js";
import { FilterStackable } from "../../filters/stackable.js";
import { testFilterInterface, testFilterStandard, thrown } from "../helpers/filter-conformance.js";

function makeStack(): FilterStackable {
  return FilterStackable.new({
    Filters: [
      FilterLine.new({ Literal: "!" }),
      // Put passes what RecordBlock flattened on to Line (Perl: sub { @$_ },
      // which under no strict refs yields nothing useful); Get wraps parens.
      FilterMap.new({ Put: (x: string) => x, Get: (x: string) => `(((${x})))` }),
      FilterGrep.new({ Put: () => true, Get: (x: string) => /1/.test(x) }),
      FilterRecordBlock.new({ BlockSize: 2 }),
    ],
  });
}

testFilterInterface("Filter.Stackable", FilterStackable);

testFilterStandard(
  "Filter.Stackable",
  FilterStackable.new({ Filters: [FilterLine.new({ Literal: "\n" }), FilterMap.new({ Code: (x: unknown) => String(x).toUpperCase() })] }),
  ["a\nb", "\nc\n"],
  ["A", "B", "C"],
  ["A\n", "B\n", "C\n"],
  { pending: (filters: FilterStackable) => filters.filters()[0]?.get_pending() },
);

// ---

const stack = suite("Filter.Stackable get and put");

stack("a partial get returns nothing and get_pending shows the last filter's records", () => {
  const filters = makeStack();
  assert.equal(filters.get(["test one (1)!test two (2)!"]), []);
  assert.equal(filters.get_pending(), ["(((test one (1))))"]);
});

stack("completes a block once enough matching lines arrive", () => {
  const filters = makeStack();
  filters.get(["test one (1)!test two (2)!"]);
  assert.equal(filters.get(["test three (3)!test four (100)!"]), [["(((test one (1))))", "(((test four (100))))"]]);
});

stack("put runs the filters last to first", () => {
  const block = ["(((test one (1))))", "(((test four (100))))"];
  assert.equal(makeStack().put([block, block]), [
    "(((test one (1))))!",
    "(((test four (100))))!",
    "(((test one (1))))!",
    "(((test four (100))))!",
  ]);
});

stack("get_pending is [] when nothing is pending", () => {
  assert.equal(makeStack().get_pending(), []);
});

stack("get_one strobes the chain until a record comes out", () => {
  const filters = FilterStackable.new({ Filters: [FilterLine.new({ Literal: "\n" }), FilterRecordBlock.new({ BlockSize: 2 })] });
  filters.get_one_start(["a\nb\nc\nd\n"]);
  assert.equal(filters.get_one(), [["a", "b"]]);
  assert.equal(filters.get_one(), [["c", "d"]]);
  assert.equal(filters.get_one(), []);
});

stack("get_one_start on an empty stack throws", () => {
  assert.is(thrown(() => FilterStackable.new().get_one_start(["x"])).message, "POE::Filter::Stackable has no Filters to give input to");
});

stack("croaks when Filters is not an array", () => {
  assert.is(thrown(() => FilterStackable.new({ Filters: "x" as never })).message, "Filters is not an ARRAY reference!");
});

stack.run();

// ---

const members = suite("Filter.Stackable members");

members("filter_types names each filter's Perl class", () => {
  assert.equal(makeStack().filter_types(), ["POE::Filter::Line", "POE::Filter::Map", "POE::Filter::Grep", "POE::Filter::RecordBlock"]);
});

members("pop, shift, push and unshift restore the original order", () => {
  const filters = makeStack();
  const before = filters.filters();
  const popped = filters.pop();
  assert.instance(popped, FilterRecordBlock);
  const shifted = filters.shift();
  assert.instance(shifted, FilterLine);
  filters.push(popped as FilterRecordBlock);
  filters.unshift(shifted as FilterLine);
  assert.equal(filters.filters(), before);
});

members("push rejects anything that is not a filter and changes nothing", () => {
  const filters = makeStack();
  const before = filters.filters();
  for (const bad of [[undefined], [["i am not a filter"]], [{ get: () => [] }], [123, "two not-filter things"]]) {
    assert.match(thrown(() => filters.push(...(bad as never[]))).message, /^Filter element is not a POE::Filter instance!/);
  }
  assert.equal(filters.filters(), before);
});

members("shift hands the removed filter's pending input to the next filter's put", () => {
  const line = FilterLine.new({ Literal: "\n" });
  const seen: unknown[] = [];
  const map = FilterMap.new({ Get: (x: unknown) => x, Put: (x: unknown) => void seen.push(x) });
  const filters = FilterStackable.new({ Filters: [line, map] });
  filters.get_one_start(["half"]);
  filters.shift();
  assert.equal(seen, [Buffer.from("half")]);
});

members("shift and pop of an empty stack return undefined", () => {
  assert.is(FilterStackable.new().shift(), undefined);
  assert.is(FilterStackable.new().pop(), undefined);
});

members("clone clones every filter and keeps the types", () => {
  const filters = makeStack();
  filters.get(["test one (1)!"]);
  const twin = filters.clone();
  assert.is.not(twin, filters);
  twin.filters().forEach((filter, index) => assert.is.not(filter, filters.filters()[index]));
  assert.equal(twin.filter_types(), filters.filter_types());
  assert.equal(twin.get_pending(), []);
});

members.run();
