// A port by intent of POE's t/10_units/05_filters/02_grep.t (Code, Get/Put,
// modify(), get_pending), plus the conformance case f_grep_map.

import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterGrep } from "../../filters/grep.js";
import { testFilterInterface, testFilterStandard, thrown } from "../helpers/filter-conformance.js";

testFilterInterface("Filter.Grep", FilterGrep);

testFilterStandard(
  "Filter.Grep",
  FilterGrep.new({ Code: (x: number) => x % 2 }),
  [1, 2, 3, 4, 5],
  [1, 3, 5],
  [1, 3, 5],
);

// ---

const construct = suite("Filter.Grep new");

construct("croaks without Code or both Get and Put", () => {
  for (const params of [{}, { Get: () => 1 }, { Put: () => 1 }]) {
    assert.is(thrown(() => FilterGrep.new(params)).message, "POE::Filter::Grep requires a Code or both Get and Put parameters");
  }
});

construct("croaks when Code, Get or Put is not a function", () => {
  assert.is(thrown(() => FilterGrep.new({ Code: "x" as never })).message, "Code element is not a subref");
  assert.is(thrown(() => FilterGrep.new({ Get: "x" as never, Put: () => 1 })).message, "Get or Put element is not a subref");
});

construct.run();

// ---

const get = suite("Filter.Grep get");

get("keeps the records the predicate accepts", () => {
  const filter = FilterGrep.new({ Code: (x: string) => /^keep/.test(x) });
  assert.equal(filter.get(["keep1", "drop", "keep2", "nokeep"]), ["keep1", "keep2"]);
  assert.equal(filter.put(["keepme", "dropme"]), ["keepme"]);
});

get("get_one skips rejected records and returns the next accepted one", () => {
  const filter = FilterGrep.new({ Code: (x: string) => /^keep/.test(x) });
  filter.get_one_start(["drop", "drop2", "keep3"]);
  assert.equal(filter.get_one(), ["keep3"]);
  assert.equal(filter.get_one(), []);
});

get("uses Get for input and Put for output", () => {
  const filter = FilterGrep.new({ Get: (x: string) => x.length > 2, Put: (x: string) => x !== "secret" });
  assert.equal(filter.get(["ab", "abc", "abcd"]), ["abc", "abcd"]);
  assert.equal(filter.put(["public", "secret", "ab"]), ["public", "ab"]);
  filter.get_one_start(["xyz", "q"]);
  assert.equal(filter.get_pending(), ["xyz", "q"]);
});

get("get_pending is undefined when empty", () => {
  assert.is(FilterGrep.new({ Code: () => true }).get_pending(), undefined);
});

get.run();

// ---

const modify = suite("Filter.Grep modify");

modify("replaces Get, Put or Code, keys in any case", () => {
  const filter = FilterGrep.new({ Code: () => true });
  filter.modify({ Get: (x: number) => x > 1 });
  assert.equal(filter.get([1, 2, 3]), [2, 3]);
  assert.equal(filter.put([1, 2, 3]), [1, 2, 3]);
  filter.modify({ put: (x: number) => x < 3 } as never);
  assert.equal(filter.put([1, 2, 3]), [1, 2]);
  filter.modify({ Code: (x: number) => x === 2 });
  assert.equal(filter.get([1, 2, 3]), [2]);
  assert.equal(filter.put([1, 2, 3]), [2]);
});

modify("warns about a value that is not a function and keeps the old one", () => {
  const filter = FilterGrep.new({ Code: () => true });
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => void seen.push(message);
  try {
    filter.modify({ Get: 5 as never });
  } finally {
    console.warn = original;
  }
  assert.equal(seen, ["Modify Get element must be given a coderef"]);
  assert.equal(filter.get([1]), [1]);
});

modify("clone keeps the predicates and starts empty", () => {
  const filter = FilterGrep.new({ Code: (x: number) => x > 1 });
  filter.get_one_start([5]);
  const twin = filter.clone();
  assert.is(twin.get_pending(), undefined);
  assert.equal(twin.get([1, 2]), [2]);
});

modify.run();

// ---

const properties = suite("Filter.Grep properties");

properties("get is Array.filter, whatever the batching", () => {
  fc.assert(
    fc.property(fc.array(fc.integer()), fc.nat({ max: 10 }), (records, cut) => {
      const filter = FilterGrep.new({ Code: (x: number) => x % 3 === 0 });
      const got = [...filter.get(records.slice(0, cut)), ...filter.get(records.slice(cut))];
      assert.equal(got, records.filter((x) => x % 3 === 0));
    }),
  );
});

properties.run();
