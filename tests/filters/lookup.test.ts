// The filter lookup behind a component's `Filter` parameter (POE's
// Client::TCP and Server::TCP accept a name, a class, an instance, or a
// [class, params] list) and the Filter base class (POE t/10_units/03_base/05_filter.t).

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Filter, FilterBlock, FilterLine, Filters, FilterStream, filterClass, resolveFilter } from "../../filters/index.js";
import { thrown } from "../helpers/filter-conformance.js";

// ---

const base = suite("Filter base class");

base("new() croaks: the base class is not meant to be used directly", () => {
  assert.is(thrown(() => Filter.new()).message, "POE::Filter is not meant to be used directly");
});

base("Filters lists every class under its POE short name", () => {
  assert.equal(Object.keys(Filters), ["Line", "Stream", "Block", "RecordBlock", "Grep", "Map", "Stackable", "Reference"]);
  assert.is(Filters.Line, FilterLine);
  for (const cls of Object.values(Filters)) assert.ok(cls.prototype instanceof Filter);
});

base.run();

// ---

const lookup = suite("Filter lookup resolveFilter");

lookup("resolves a full POE class name", () => {
  assert.instance(resolveFilter("POE::Filter::Line"), FilterLine);
});

lookup("resolves a short name", () => {
  assert.instance(resolveFilter("Stream"), FilterStream);
});

lookup("instantiates a class", () => {
  assert.instance(resolveFilter(FilterBlock), FilterBlock);
});

lookup("clones an instance, so its buffer is not shared", () => {
  const line = FilterLine.new({ Literal: "|" });
  line.get_one_start(["half"]);
  const resolved = resolveFilter(line) as FilterLine;
  assert.is.not(resolved, line);
  assert.is(resolved.get_pending(), undefined);
  assert.equal(resolved.get(["a|b|"]), ["a", "b"]);
});

lookup("passes the params of a [name, params] list", () => {
  assert.equal(resolveFilter(["POE::Filter::Line", { Literal: "|" }]).get(["a|b|"]), ["a", "b"]);
  assert.equal(resolveFilter([FilterLine, { Literal: "|" }]).get(["c|"]), ["c"]);
  assert.equal(resolveFilter(["Line"]).put(["x"]), ["x\r\n"]);
});

lookup("accepts POE's flat [name, key, value] list too", () => {
  assert.equal(resolveFilter(["Line", "Literal", "|"]).get(["a|"]), ["a"]);
});

lookup("throws naming an unknown class name", () => {
  assert.match(thrown(() => resolveFilter("POE::Filter::HTTPD")).message, /^Filter "POE::Filter::HTTPD" is not a known filter class/);
});

lookup("throws naming any other value", () => {
  assert.is(thrown(() => resolveFilter(42)).message, "Filter 42 is not a filter name, class, instance or [class, params] list");
  assert.is(thrown(() => resolveFilter({ get: 1 })).message, "Filter object Object is not a filter name, class, instance or [class, params] list");
  assert.is(thrown(() => resolveFilter([])).message, "Filter list is empty; expected [class or name, { params }]");
  assert.is(thrown(() => resolveFilter(["Line", 5])).message, "Filter parameters 5 are not an object of parameters");
});

lookup("refuses the abstract base class", () => {
  assert.is(thrown(() => filterClass(Filter)).message, "POE::Filter is not meant to be used directly");
});

lookup.run();
