// A port by intent of POE's t/10_units/05_filters/05_map.t (Code, Get/Put,
// modify(), get_pending), plus the port's FilterMap.list for list returns.

import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterMap } from "../../filters/map.js";
import { testFilterInterface, testFilterStandard, thrown } from "../helpers/filter-conformance.js";

testFilterInterface("Filter.Map", FilterMap);

testFilterStandard(
  "Filter.Map",
  FilterMap.new({ Code: (x: string) => x.toUpperCase() }),
  ["a", "b", "c"],
  ["A", "B", "C"],
  ["A", "B", "C"],
);

// ---

const construct = suite("Filter.Map new");

construct("croaks without Code or both Get and Put", () => {
  assert.is(thrown(() => FilterMap.new({ Get: (x: unknown) => x })).message, "POE::Filter::Map requires a Code or both Get and Put parameters");
});

construct("croaks when Code is not a function", () => {
  assert.is(thrown(() => FilterMap.new({ Code: 1 as never })).message, "Code element is not a subref");
});

construct.run();

// ---

const get = suite("Filter.Map get");

get("transforms each record with Code in both directions", () => {
  const filter = FilterMap.new({ Code: (x: string) => x.toUpperCase() });
  assert.equal(filter.get(["a", "bc"]), ["A", "BC"]);
  assert.equal(filter.put(["x", "yz"]), ["X", "YZ"]);
});

get("uses Get for input and Put for output", () => {
  const filter = FilterMap.new({ Get: (x: unknown) => `in(${x})`, Put: (x: unknown) => `out(${x})` });
  assert.equal(filter.get([1, 2]), ["in(1)", "in(2)"]);
  assert.equal(filter.put([3]), ["out(3)"]);
});

get("get_one returns one transformed record at a time", () => {
  const filter = FilterMap.new({ Code: (x: number) => `(((${x})))` });
  filter.get_one_start([1, 1, 2, 3, 5]);
  assert.equal(filter.get_pending(), [1, 1, 2, 3, 5]);
  for (const x of [1, 1, 2, 3, 5]) assert.equal(filter.get_one(), [`(((${x})))`]);
  assert.equal(filter.get_one(), []);
  assert.is(filter.get_pending(), undefined);
});

get("FilterMap.list returns several records, or none", () => {
  const filter = FilterMap.new({ Get: (x: string) => FilterMap.list(...x.split("")), Put: (x: string[]) => FilterMap.list(...x) });
  assert.equal(filter.get(["ab", "c"]), ["a", "b", "c"]);
  assert.equal(filter.put([["x", "y"], []]), ["x", "y"]);
});

get("an ordinary array is one record", () => {
  const filter = FilterMap.new({ Code: (x: string) => [x, x] });
  assert.equal(filter.get(["a"]), [["a", "a"]]);
});

get.run();

// ---

const modify = suite("Filter.Map modify");

modify("replaces Get and leaves Put", () => {
  const filter = FilterMap.new({ Get: (x: number) => `in(${x})`, Put: (x: number) => `out(${x})` });
  filter.modify({ Get: (x: number) => x * 10 });
  assert.equal(filter.get([4, 5]), [40, 50]);
  assert.equal(filter.put([3]), ["out(3)"]);
  assert.is(filter.get_pending(), undefined);
});

modify("replaces both with Code", () => {
  const filter = FilterMap.new({ Code: (x: number) => x });
  filter.modify({ code: (x: number) => -x } as never);
  assert.equal(filter.get([1]), [-1]);
  assert.equal(filter.put([2]), [-2]);
});

modify("clone keeps the functions and starts empty", () => {
  const filter = FilterMap.new({ Code: (x: number) => x + 1 });
  filter.get_one_start([1]);
  const twin = filter.clone();
  assert.is(twin.get_pending(), undefined);
  assert.equal(twin.get([1]), [2]);
});

modify.run();

// ---

const properties = suite("Filter.Map properties");

properties("get is Array.map and put(get(x)) with inverse functions is x", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1000, max: 1000 })), (records) => {
      const filter = FilterMap.new({ Get: (x: number) => x * 2, Put: (x: number) => x / 2 });
      assert.equal(filter.put(filter.get(records)), records);
    }),
  );
});

properties.run();
