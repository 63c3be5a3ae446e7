// A port by intent of POE's t/10_units/05_filters/01_block.t (fixed and
// variable-length blocks, custom LengthCodec, MaxLength/MaxBuffer), plus the
// port's bad-header handling and properties.

import { Buffer } from "node:buffer";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterBlock } from "../../filters/block.js";
import type { BlockRef } from "../../filters/block.js";
import { FilterError } from "../../filters/filter.js";
import { plain, testFilterInterface, testFilterStandard, thrown, warnings } from "../helpers/filter-conformance.js";
import { assertFramingProperties, splitsOf, wireBytes } from "../helpers/filter-properties.js";

const b = (text: string): Buffer => Buffer.from(text, "latin1");

// POE's test codec: a 4-byte big-endian length, pack("N").
function encoder(ref: BlockRef): void {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(ref.value.length);
  ref.value = Buffer.concat([header, ref.value]);
}

function decoder(ref: BlockRef): number | undefined {
  if (ref.value.length < 4) return undefined;
  const length = ref.value.readUInt32BE(0);
  ref.value = ref.value.subarray(4);
  return length;
}

testFilterInterface("Filter.Block", FilterBlock);

testFilterStandard("Filter.Block fixed size", FilterBlock.new({ BlockSize: 4 }), ["1234", "5678"], [b("1234"), b("5678")], [b("12345678")]);

testFilterStandard(
  "Filter.Block variable size",
  FilterBlock.new(),
  ["1\0a2\0bc", "3\0def"],
  [b("a"), b("bc"), b("def")],
  [b("1\0a"), b("2\0bc"), b("3\0def")],
);

// ---

const fixed = suite("Filter.Block fixed size");

fixed("get parses blocks and put joins them into one chunk", () => {
  const filter = FilterBlock.new({ BlockSize: 4 });
  const cooked = filter.get(filter.put(["12345678"]));
  assert.equal(plain(cooked), plain([b("1234"), b("5678")]));
  assert.equal(plain(filter.put(cooked)), plain([b("12345678")]));
});

fixed("get_one parses one block", () => {
  const filter = FilterBlock.new({ BlockSize: 4 });
  filter.get_one_start(filter.put(["12345678"]));
  assert.equal(plain(filter.get_one()), plain([b("1234")]));
});

fixed("keeps a partial block pending", () => {
  const filter = FilterBlock.new({ BlockSize: 4 });
  assert.equal(plain(filter.get(["abcdefghij"])), plain([b("abcd"), b("efgh")]));
  assert.equal(plain(filter.get_pending()), plain([b("ij")]));
});

fixed("put of no records is one empty chunk, as POE's join", () => {
  assert.equal(plain(FilterBlock.new({ BlockSize: 4 }).put([])), plain([b("")]));
});

fixed.run();

// ---

const variable = suite("Filter.Block variable size");

variable("waits for a whole header and payload", () => {
  const filter = FilterBlock.new();
  assert.equal(plain(filter.get(filter.put(["a", "bc", "def", "ghij"]))), plain(["a", "bc", "def", "ghij"].map(b)));
  for (const part of ["1", "0", "\0", "klmno"]) assert.equal(filter.get([part]), []);
  assert.equal(plain(filter.get(["pqrst"])), plain([b("klmnopqrst")]));
});

variable("put frames each record with its decimal length and a NUL", () => {
  assert.equal(plain(FilterBlock.new().put(["a", "bc", "def", "ghij"])), plain(["1\0a", "2\0bc", "3\0def", "4\0ghij"].map(b)));
});

variable("counts bytes, not characters", () => {
  assert.equal(plain(FilterBlock.new().put(["€"])), plain([Buffer.concat([b("3\0"), Buffer.from("€")])]));
});

variable("reports only the payload of a half-read block as pending, as POE does", () => {
  const filter = FilterBlock.new();
  filter.get(["10\0abc"]);
  assert.equal(plain(filter.get_pending()), plain([b("abc")]));
});

variable("strips leading garbage with POE's warning and parses on", () => {
  const filter = FilterBlock.new();
  let records: Buffer[] = [];
  const seen = warnings(() => (records = filter.get(["xx3\0abc"])));
  assert.equal(seen, ["2 strange bytes removed from stream"]);
  assert.equal(plain(records), plain([b("abc")]));
});

variable("throws on digits followed by something other than NUL", () => {
  const filter = FilterBlock.new();
  const error = thrown<FilterError>(() => filter.get(["12x45"]));
  assert.is(error.message, "POE::Filter::Block: bad frame header (5 bytes discarded): its length is followed by byte 0x78, not NUL");
  assert.is(error.code, "POE_FILTER_BAD_FRAME");
  assert.is(filter.get_pending(), undefined);
});

variable("throws on a length with too many digits instead of waiting", () => {
  assert.is(thrown<FilterError>(() => FilterBlock.new().get(["1".repeat(21)])).code, "POE_FILTER_BAD_FRAME");
});

variable("a custom LengthCodec parses its own output and partial headers", () => {
  const filter = FilterBlock.new({ LengthCodec: [encoder, decoder] });
  assert.equal(plain(filter.get(filter.put(["a", "bc", "def", "ghij"]))), plain(["a", "bc", "def", "ghij"].map(b)));
  for (const part of ["\x00", "\x00", "\x00", "\x0a", "klmno"]) assert.equal(filter.get([b(part)]), []);
  assert.equal(plain(filter.get(["pqrst"])), plain([b("klmnopqrst")]));
  assert.equal(plain(filter.put(["a", "bc"])), plain([b("\x00\x00\x00\x01a"), b("\x00\x00\x00\x02bc")]));
});

variable.run();

// ---

const construct = suite("Filter.Block new");

construct("croaks on bad parameters with POE's messages", () => {
  const message = (params: object): string => thrown(() => FilterBlock.new(params as never)).message;
  assert.is(message({ MaxLength: 10, MaxBuffer: 5 }), "MaxBuffer is not large enough for MaxLength blocks");
  assert.is(message({ MaxLength: -1 }), "MaxLength must be a number");
  assert.is(message({ MaxLength: "something" }), "MaxLength must be a number");
  assert.is(message({ MaxBuffer: 0 }), "MaxBuffer must greater then 0");
  assert.is(message({ BlockSize: 0 }), "POE::Filter::Block doesn't support zero or negative block sizes");
  assert.is(message({ BlockSize: 4, LengthCodec: [encoder, decoder] }), "Can't use both LengthCodec and BlockSize at the same time");
  assert.is(message({ BlockSize: 4, MaxLength: 4 }), "Can't use both MaxLength and BlockSize at the same time");
  assert.is(message({ LengthCodec: encoder }), "LengthCodec must be an array reference");
  assert.is(message({ LengthCodec: [encoder] }), "LengthCodec must contain two items");
  assert.is(message({ LengthCodec: [1, decoder] }), "LengthCodec encoder must be a code reference");
  assert.is(message({ LengthCodec: [encoder, 1] }), "LengthCodec decoder must be a code reference");
});

construct("warns about unknown parameters", () => {
  assert.equal(warnings(() => FilterBlock.new({ Zed: 1, Alpha: 2 } as never)), ["POE::Filter::Block ignores unknown parameters: Alpha, Zed"]);
});

construct("clone keeps the configuration and starts empty", () => {
  const filter = FilterBlock.new({ BlockSize: 4 });
  filter.get(["abcdefghij"]);
  const twin = filter.clone();
  assert.is(twin.get_pending(), undefined);
  assert.equal(plain(twin.get(["wxyz"])), plain([b("wxyz")]));
});

construct("clone does not inherit a half-read block's length", () => {
  const filter = FilterBlock.new();
  filter.get(["10\0abc"]);
  assert.equal(plain(filter.clone().get(["2\0ab"])), plain([b("ab")]));
});

construct.run();

// ---

const bounds = suite("Filter.Block bounds");

bounds("throws MaxLength for a block declared too long", () => {
  const error = thrown<FilterError>(() => FilterBlock.new({ MaxLength: 10 }).get(["134\0a bunch of data here"]));
  assert.is(error.message, "POE::Filter::Block: Expected size of next block exceeds the limit (MaxLength = 10 bytes): 134 bytes");
  assert.is(error.code, "POE_FILTER_MAX_LENGTH");
});

bounds("skips the over-long block's bytes and parses the next one", () => {
  const filter = FilterBlock.new({ MaxLength: 3 });
  thrown(() => filter.get(["5\0ab"]));
  assert.equal(plain(filter.get(["cde2\0ok"])), plain([b("ok")]));
});

bounds("throws MaxBuffer when the buffer would grow past it", () => {
  const filter = FilterBlock.new({ MaxBuffer: 10, MaxLength: 5 });
  const error = thrown<FilterError>(() => filter.get(["134\0a bunch of data here"]));
  assert.is(error.message, "POE::Filter::Block: Framing buffer exceeds the limit (MaxBuffer = 10 bytes): 24 bytes buffered");
  assert.is(error.code, "POE_FILTER_MAX_BUFFER");
  assert.is(filter.get_pending(), undefined);
});

bounds("never returns a block over MaxLength nor buffers over MaxBuffer", () => {
  const input = fc.array(fc.constantFrom("1", "9", "\0", "a", "12\0"), { maxLength: 40 }).map((parts) => Buffer.from(parts.join("")));
  fc.assert(
    fc.property(input.chain((bytes) => splitsOf(bytes)), (chunks) => {
      const filter = FilterBlock.new({ MaxLength: 9, MaxBuffer: 24 });
      const original = console.warn;
      console.warn = () => {};
      try {
        for (const chunk of chunks) {
          try {
            for (const block of filter.get([chunk])) if (block.length > 9) return false;
          } catch (error) {
            if (!(error instanceof FilterError)) throw error;
          }
          if (wireBytes(filter.get_pending() ?? []).length > 24) return false;
        }
      } finally {
        console.warn = original;
      }
      return true;
    }),
  );
});

bounds.run();

// ---

const properties = suite("Filter.Block properties");

const payloads = fc.array(fc.uint8Array({ maxLength: 20 }).map((array) => Buffer.from(array)), { maxLength: 8 });

properties("variable blocks: any chunking, round trip, and get_pending between whole blocks", () => {
  assertFramingProperties(() => FilterBlock.new(), payloads);
});

properties("custom codec: the same", () => {
  assertFramingProperties(() => FilterBlock.new({ LengthCodec: [encoder, decoder] }), payloads);
});

properties("fixed blocks: any chunking gives the same blocks", () => {
  const blocks = fc.array(fc.uint8Array({ minLength: 3, maxLength: 3 }).map((array) => Buffer.from(array)), { maxLength: 8 });
  fc.assert(
    fc.property(blocks.chain((list) => fc.tuple(fc.constant(list), splitsOf(Buffer.concat(list)))), ([list, chunks]) => {
      assert.equal(plain(FilterBlock.new({ BlockSize: 3 }).get(chunks)), plain(list));
    }),
  );
});

properties.run();
