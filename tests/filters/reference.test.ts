// A port by intent of POE's t/10_units/05_filters/07_reference.t (custom
// serializers, legacy constructor forms, compression, NoFatals, get_pending),
// plus frames made by Perl POE 1.370 and the port's bounds and properties.

import { Buffer } from "node:buffer";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterError } from "../../filters/filter.js";
import { FilterReference } from "../../filters/reference.js";
import { testFilterInterface, testFilterStandard, thrown } from "../helpers/filter-conformance.js";
import { assertFramingProperties } from "../helpers/filter-properties.js";

// POE's MyFreezer: reverses a joined string (Perl's `reverse(join "\0", ...)`).
const MyFreezer = {
  freeze: (thing: { type: string; items: unknown[] }) => [thing.type, ...thing.items].join("\0").split("").reverse().join(""),
  thaw: (frozen: Buffer) => {
    const [type, ...items] = frozen.toString().split("").reverse().join("").split("\0");
    if (type !== "Package") throw new Error("not a Package");
    return { type, items };
  },
};

// Made by Perl: POE::Filter::Reference->new(Serializer => "MyJSON"[, Compression => 1])
// ->put([{a => 1, b => [1, 2, "x"]}]) with MyJSON using JSON::PP->canonical.
const PERL_FRAME = Buffer.from('21\0{"a":1,"b":[1,2,"x"]}', "latin1");
const PERL_COMPRESSED = Buffer.from("323900789cab564a54b232d4514a52b28a36d431d251aa508aad050038090544", "hex");

testFilterInterface("Filter.Reference", FilterReference);

testFilterStandard(
  "Filter.Reference",
  FilterReference.new(),
  [Buffer.from('7\0{"a":1}9\0[1,2,"x"]')],
  [{ a: 1 }, [1, 2, "x"]],
  [Buffer.from('7\0{"a":1}'), Buffer.from('9\0[1,2,"x"]')],
);

// ---

const serializers = suite("Filter.Reference serializers");

for (const [name, make] of [
  ["the default (JSON)", () => FilterReference.new()],
  ["JSON, compressed", () => FilterReference.new({ Compression: true })],
  ["v8", () => FilterReference.new({ Serializer: "v8" })],
  ["v8, compressed", () => FilterReference.new({ Serializer: "v8", Compression: 9 })],
] as const) {
  serializers(`${name} freezes and thaws objects and arrays`, () => {
    const filter = make();
    const things = [{ scalar: "this is a test" }, [1, 1, 2, 3, 5]];
    assert.equal(filter.get(filter.put(things)), things);
  });
}

serializers("a serializer object is called as obj.freeze / obj.thaw", () => {
  const filter = FilterReference.new({ Serializer: MyFreezer });
  const thing = { type: "Package", items: ["1", "1", "2", "3", "5"] };
  assert.equal(filter.put([thing]).map(String), ["17\x005\x003\x002\x001\x001\x00egakcaP"]);
  assert.equal(filter.get(filter.put([thing])), [thing]);
});

serializers("nfreeze is preferred over freeze", () => {
  const filter = FilterReference.new({ Serializer: { nfreeze: () => "[1]", freeze: () => "[2]", thaw: (frozen: Buffer) => JSON.parse(String(frozen)) } });
  assert.equal(filter.get(filter.put([{}])), [[1]]);
});

serializers("v8 keeps what JSON cannot: Maps, Dates, BigInts", () => {
  const filter = FilterReference.new({ Serializer: "v8" });
  const thing = { map: new Map([["k", 1n]]), when: new Date(0) };
  assert.equal(filter.get(filter.put([thing])), [thing]);
});

serializers("reads frames made by a Perl POE peer with a JSON serializer", () => {
  assert.equal(FilterReference.new().get([PERL_FRAME]), [{ a: 1, b: [1, 2, "x"] }]);
  assert.equal(FilterReference.new({ Compression: true }).get([PERL_COMPRESSED]), [{ a: 1, b: [1, 2, "x"] }]);
});

serializers("writes the same frame bytes as Perl POE", () => {
  assert.equal(FilterReference.new().put([{ a: 1, b: [1, 2, "x"] }]), [PERL_FRAME]);
});

serializers("compression makes a repetitive frame shorter", () => {
  const thing = ["honk honk honk honk honk honk honk honk"];
  const [plain] = FilterReference.new().put([thing]);
  const [packed] = FilterReference.new({ Compression: 1 }).put([thing]);
  assert.ok((packed as Buffer).length < (plain as Buffer).length);
});

serializers.run();

// ---

const construct = suite("Filter.Reference new");

construct("accepts POE's legacy positional forms", () => {
  const thing = [["honk honk honk honk"]];
  assert.equal(FilterReference.new("JSON").put(thing), FilterReference.new().put(thing));
  assert.equal(FilterReference.new(undefined, undefined, undefined).put(thing), FilterReference.new().put(thing));
  assert.equal(FilterReference.new(null, 1).put(thing), FilterReference.new({ Compression: 1 }).put(thing));
  assert.equal(FilterReference.new(MyFreezer).put([{ type: "Package", items: [] }]).map(String), ["7\0egakcaP"]);
});

construct("croaks on an unusable Serializer, naming it", () => {
  assert.is(thrown(() => FilterReference.new({ Serializer: "Storable" })).message, 'Serializer "Storable" is not known (known: JSON, v8); pass an object with freeze and thaw');
  assert.is(thrown(() => FilterReference.new({ Serializer: { thaw: (frozen: Buffer) => frozen } as never })).message, "Serializer object Object doesn't have a freeze or nfreeze method");
  assert.is(thrown(() => FilterReference.new({ Serializer: { freeze: JSON.stringify } as never })).message, "Serializer object Object doesn't have a thaw method");
});

construct("croaks on MaxBuffer smaller than MaxLength", () => {
  assert.is(thrown(() => FilterReference.new({ MaxLength: 10, MaxBuffer: 5 })).message, "MaxBuffer is not large enough for MaxLength blocks");
});

construct("put croaks on a non-reference", () => {
  assert.is(thrown(() => FilterReference.new().put(["plain"])).message, "Choking on a non-reference (plain)");
  assert.is(thrown(() => FilterReference.new().put([null])).message, "Choking on a non-reference (null)");
});

construct("clone keeps the serializer and starts empty", () => {
  const filter = FilterReference.new({ Serializer: "v8", Compression: true });
  filter.get_one_start(["3\0"]);
  const twin = filter.clone();
  assert.is(twin.get_pending(), undefined);
  assert.equal(twin.put([[1]]), filter.put([[1]]));
});

construct.run();

// ---

const errors = suite("Filter.Reference errors");

errors("get_pending returns whole frames that another filter can read", () => {
  const filter = FilterReference.new();
  const frozen = filter.put([[2, 4, 6]]);
  filter.get_one_start(frozen);
  assert.equal(filter.get(filter.get_pending() ?? []), [[2, 4, 6], [2, 4, 6]]);
});

errors("a frame that does not thaw throws, naming the frame", () => {
  const error = thrown<FilterError>(() => FilterReference.new().get(["12\x00abcdefghijkl"]));
  assert.match(error.message, /^POE::Filter::Reference: cannot thaw a frame of 12 bytes: /);
  assert.is(error.code, "POE_FILTER_THAW");
});

errors("with NoFatals the thaw error is a string record", () => {
  const [record] = FilterReference.new({ NoFatals: 1 }).get(["12\x00abcdefghijkl"]);
  assert.type(record, "string");
  assert.match(record as string, /^POE::Filter::Reference: cannot thaw a frame of 12 bytes: /);
});

errors("with NoFatals the buffer error is a string record", () => {
  const filter = FilterReference.new({ NoFatals: 1, MaxBuffer: 10 });
  assert.equal(filter.get(["12\x00abcdefghijkl"]), ["POE::Filter::Reference: Framing buffer exceeds the limit (MaxBuffer = 10 bytes): 15 bytes buffered"]);
  assert.is(filter.get_pending(), undefined);
});

errors("a frame without a decimal length throws instead of stalling", () => {
  const error = thrown<FilterError>(() => FilterReference.new().get(["x7\0{}"]));
  assert.is(error.message, "POE::Filter::Reference: bad frame header (5 bytes discarded): it does not start with a decimal length");
  assert.is(error.code, "POE_FILTER_BAD_FRAME");
});

errors("a frame over MaxLength throws and its bytes are skipped", () => {
  const filter = FilterReference.new({ MaxLength: 4 });
  const error = thrown<FilterError>(() => filter.get(["9\0[1,2,3,"]));
  assert.is(error.message, "POE::Filter::Reference: Expected size of next block exceeds the limit (MaxLength = 4 bytes): 9 bytes");
  assert.is(error.code, "POE_FILTER_MAX_LENGTH");
  assert.equal(filter.get(["4]2\0[]"]), [[]]);
});

errors("a corrupt compressed frame throws a thaw error", () => {
  assert.is(thrown<FilterError>(() => FilterReference.new({ Compression: true }).get(["3\0abc"])).code, "POE_FILTER_THAW");
});

errors.run();

// ---

const properties = suite("Filter.Reference properties");

const things = fc.array(fc.oneof(fc.array(fc.integer()), fc.dictionary(fc.string(), fc.string())), { maxLength: 6 });

properties("JSON frames: any chunking, round trip, and get_pending loses nothing", () => {
  assertFramingProperties(() => FilterReference.new(), things);
});

properties("compressed v8 frames: the same", () => {
  assertFramingProperties(() => FilterReference.new({ Serializer: "v8", Compression: true }), things, 60);
});

properties.run();
