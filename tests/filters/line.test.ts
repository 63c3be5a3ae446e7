// A port by intent of POE's t/10_units/05_filters/04_line.t (Filter::Line
// without the rest of POE), plus the port's bounds, encodings and properties.

import { Buffer } from "node:buffer";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FilterError } from "../../filters/filter.js";
import { FilterLine } from "../../filters/line.js";
import { testFilterInterface, testFilterStandard, thrown, warnings } from "../helpers/filter-conformance.js";
import { assertFramingProperties, feedOneByOne, splitsOf, wireBytes } from "../helpers/filter-properties.js";

const TEXT = fc.array(fc.constantFrom("a", "b", "x", " ", "\t", "é", "€", "😀", "\0"), { maxLength: 12 }).map((parts) => parts.join(""));

testFilterInterface("Filter.Line", FilterLine);

testFilterStandard(
  "Filter.Line default mode",
  FilterLine.new(),
  ["a\x0D", "b\x0A", "c\x0D\x0A", "d\x0A\x0D"],
  ["a", "b", "c", "d"],
  ["a\x0D\x0A", "b\x0D\x0A", "c\x0D\x0A", "d\x0D\x0A"],
);

testFilterStandard(
  "Filter.Line literal mode",
  FilterLine.new({ Literal: "x" }),
  ["axa", "bxb", "cxc", "dxd"],
  ["a", "ab", "bc", "cd"],
  ["ax", "abx", "bcx", "cdx"],
);

// ---

const construct = suite("Filter.Line new");

construct("croaks on an empty Literal", () => {
  assert.is(thrown(() => FilterLine.new({ Literal: "" })).message, "A defined Literal must have a nonzero length");
});

construct("croaks on Literal and Regexp together", () => {
  const error = thrown(() => FilterLine.new({ Regexp: "\r", Literal: "\n" } as never));
  assert.is(error.message, "POE::Filter::Line cannot have both Regexp and Literal line endings");
});

construct("croaks on Literal with InputRegexp, InputLiteral or OutputLiteral", () => {
  for (const other of [{ InputRegexp: "\r" }, { InputLiteral: "\r" }, { OutputLiteral: "\r" }, { InputLiteral: undefined }]) {
    const error = thrown(() => FilterLine.new({ ...other, Literal: "\n" }));
    assert.is(error.message, "POE::Filter::Line cannot have Literal with any other parameter");
  }
});

construct("croaks on InputLiteral and InputRegexp together", () => {
  const error = thrown(() => FilterLine.new({ InputRegexp: "\r", InputLiteral: "\n" }));
  assert.is(error.message, "POE::Filter::Line cannot have both InputLiteral and InputRegexp");
});

construct("croaks when MaxLength exceeds MaxBuffer", () => {
  assert.is(thrown(() => FilterLine.new({ MaxLength: 10, MaxBuffer: 5 })).message, "MaxBuffer is not large enough for MaxLength blocks");
});

construct("croaks on a MaxLength or MaxBuffer that is not a positive integer", () => {
  assert.is(thrown(() => FilterLine.new({ MaxLength: -1 })).message, "MaxLength must be a number");
  assert.is(thrown(() => FilterLine.new({ MaxLength: "something" as never })).message, "MaxLength must be a number");
  assert.is(thrown(() => FilterLine.new({ MaxBuffer: 0 })).message, "MaxBuffer must greater then 0");
  assert.is(thrown(() => FilterLine.new({ MaxBuffer: "something" as never })).message, "MaxBuffer must be a number");
});

construct("croaks on an unknown Encoding", () => {
  assert.match(thrown(() => FilterLine.new({ Encoding: "klingon" as never })).message, /^Encoding must be a Buffer encoding/);
});

construct("warns once about unknown parameters, sorted", () => {
  const seen = warnings(() => FilterLine.new({ b: 1, a: 2, Literal: "\n" } as never));
  assert.equal(seen, ["POE::Filter::Line ignores unknown parameters: a, b"]);
});

construct("raises the default MaxBuffer to twice a large MaxLength", () => {
  const filter = FilterLine.new({ MaxLength: 16 * 1024 * 1024 });
  assert.equal(filter.get(["x".repeat(9 * 1024 * 1024) + "\n"]).map((line) => line.length), [9 * 1024 * 1024]);
});

construct.run();

// ---

const get = suite("Filter.Line get");

get("parses different input and output literals", () => {
  const filter = FilterLine.new({ InputLiteral: "x", OutputLiteral: "y" });
  const received = filter.get(["axa", "bxb", "cxc", "dxd"]);
  assert.equal(received, ["a", "ab", "bc", "cd"]);
  assert.equal(filter.put(received), ["ay", "aby", "bcy", "cdy"]);
});

get("parses with a string InputRegexp", () => {
  const filter = FilterLine.new({ InputRegexp: "[xy]", OutputLiteral: "!" });
  const received = filter.get(["axa", "byb", "cxc", "dyd"]);
  assert.equal(received, ["a", "ab", "bc", "cd"]);
  assert.equal(filter.put(received), ["a!", "ab!", "bc!", "cd!"]);
});

get("parses with a compiled InputRegexp", () => {
  const filter = FilterLine.new({ InputRegexp: /[xy]/, OutputLiteral: "!" });
  assert.equal(filter.get(["axa", "byb", "cxc", "dyd"]), ["a", "ab", "bc", "cd"]);
});

get("skips empty InputRegexp matches instead of looping", () => {
  const filter = FilterLine.new({ InputRegexp: "x*" });
  assert.equal(filter.get(["abxxcdx"]), ["ab", "cd"]);
});

get("yields an extra empty line when CR ends one read and LF starts the next", () => {
  const filter = FilterLine.new();
  assert.equal([...filter.get(["a\r"]), ...filter.get(["\nb\r\n"])], ["a", "", "b"]);
});

get("autodetects a CRLF split between reads", () => {
  const filter = FilterLine.new({ InputLiteral: undefined, OutputLiteral: "!" });
  const received = feedOneByOne(filter, ["a\x0d", "\x0Ab\x0D\x0A", "c\x0A\x0D", "\x0A"].map((s) => Buffer.from(s)));
  assert.equal(filter.put(received), ["a!", "b!", "c\x0A!"]);
});

get("autodetects LFCR on the first line", () => {
  const filter = FilterLine.new({ InputLiteral: undefined, OutputLiteral: "!" });
  const received = feedOneByOne(filter, ["a\x0A\x0D", "\x0Db\x0A\x0D", "c\x0D", "\x0A\x0D"].map((s) => Buffer.from(s)));
  assert.equal(filter.put(received), ["a!", "\x0Db!", "c\x0D!"]);
});

get("autodetects a lone LF, with suspicion", () => {
  const filter = FilterLine.new({ InputLiteral: undefined, OutputLiteral: "!" });
  const received = feedOneByOne(filter, ["a\x0A", "b\x0D\x0A", "c\x0D", "\x0A"].map((s) => Buffer.from(s)));
  assert.equal(filter.put(received), ["a!", "b\x0D!", "c\x0D!"]);
});

get("treats an empty InputLiteral as autodetect", () => {
  const filter = FilterLine.new({ InputLiteral: "" });
  assert.equal(filter.get(["a\r\nb\rc\r\n"]), ["a", "b\rc"]);
});

get("decodes a UTF-8 character split across reads", () => {
  const filter = FilterLine.new();
  const bytes = Buffer.from("h€llo\n");
  assert.equal([...filter.get([bytes.subarray(0, 2)]), ...filter.get([bytes.subarray(2, 3)]), ...filter.get([bytes.subarray(3)])], ["h€llo"]);
});

get("decodes and encodes bytes one to one with Encoding latin1", () => {
  const filter = FilterLine.new({ Encoding: "latin1", Literal: "\n" });
  assert.equal(filter.get([Buffer.from([0xe9, 0xff, 0x0a])]), ["\u00e9\u00ff"]);
  assert.equal(filter.put(["\u00e9"]), [Buffer.from([0xe9, 0x0a])]);
});

get("returns a Buffer for a Buffer record and a string for a string", () => {
  const filter = FilterLine.new({ Literal: "\n" });
  assert.equal(filter.put([Buffer.from("a"), "b"]), [Buffer.from("a\n"), "b\n"]);
});

get("parses lines arriving one byte at a time", () => {
  const filter = FilterLine.new({ Literal: "\r\n" });
  const bytes = Buffer.from("one\r\ntwo\r\n\r\nthree\r\n");
  const records = feedOneByOne(filter, [...bytes].map((byte) => Buffer.from([byte])));
  assert.equal(records, ["one", "two", "", "three"]);
});

get("keeps an unterminated line pending as bytes", () => {
  const filter = FilterLine.new();
  filter.get(["done\nhalf"]);
  assert.equal(filter.get_pending(), [Buffer.from("half")]);
});

get("clones an autodetected newline", () => {
  const filter = FilterLine.new({ InputLiteral: undefined });
  filter.get(["a\r\nb"]);
  assert.equal(filter.clone().get(["x\ny\r\n"]), ["x\ny"]);
});

get.run();

// ---

const bounds = suite("Filter.Line bounds");

bounds("throws MaxLength when a complete line is too long", () => {
  const filter = FilterLine.new({ MaxLength: 10 });
  const error = thrown(() => filter.get(["This line is going to be to long for our filter\n"])) as FilterError;
  assert.is(error.message, "POE::Filter::Line: Next line exceeds maximum line length (MaxLength = 10 bytes): 47 bytes");
  assert.is(error.code, "POE_FILTER_MAX_LENGTH");
  assert.is(filter.get_pending(), undefined);
});

bounds("throws MaxBuffer when the buffer would grow past it", () => {
  const filter = FilterLine.new({ MaxBuffer: 10, MaxLength: 5 });
  const error = thrown(() => filter.get(["This line is going to be to long for our filter\n"])) as FilterError;
  assert.is(error.message, "POE::Filter::Line: Framing buffer exceeds the limit (MaxBuffer = 10 bytes): 48 bytes buffered");
  assert.is(error.code, "POE_FILTER_MAX_BUFFER");
  assert.is(filter.get_pending(), undefined);
});

bounds("fails an unterminated line as soon as it passes MaxLength", () => {
  const filter = FilterLine.new({ MaxLength: 4, Literal: "\r\n" });
  const error = thrown(() => filter.get(["abcdefg\r"])) as FilterError;
  assert.is(error.message, "POE::Filter::Line: Next line exceeds maximum line length (MaxLength = 4 bytes): 7 bytes buffered without a line end");
  assert.equal(filter.get_pending(), [Buffer.from("\r")]);
});

bounds("discards the rest of an over-long line, then parses on", () => {
  const filter = FilterLine.new({ MaxLength: 4 });
  thrown(() => filter.get(["abcdefg"]));
  assert.equal(filter.get(["hij\nok\n"]), ["ok"]);
});

bounds("never returns a line longer than MaxLength nor buffers more than MaxBuffer", () => {
  const input = fc.array(fc.constantFrom("a", "bb", "\n", "\r", "ccccccc"), { maxLength: 40 }).map((parts) => Buffer.from(parts.join("")));
  fc.assert(
    fc.property(input.chain((bytes) => fc.tuple(splitsOf(bytes), fc.integer({ min: 1, max: 6 }))), ([chunks, maxLength]) => {
      const filter = FilterLine.new({ MaxLength: maxLength, MaxBuffer: maxLength * 2 });
      for (const chunk of chunks) {
        try {
          for (const line of filter.get([chunk])) if (Buffer.byteLength(line) > maxLength) return false;
        } catch (error) {
          if (!(error instanceof FilterError)) throw error;
        }
        if (wireBytes(filter.get_pending() ?? []).length > maxLength * 2) return false;
      }
      return true;
    }),
  );
});

bounds.run();

// ---

const properties = suite("Filter.Line properties");

const noNewline = TEXT.filter((line) => !line.includes("\n"));

properties("any chunking of LF-terminated lines gives the same records, and get_pending loses nothing", () => {
  assertFramingProperties(() => FilterLine.new({ Literal: "\n" }), fc.array(noNewline, { maxLength: 8 }));
});

properties("the same holds with a multi-byte Literal", () => {
  const records = fc.array(TEXT.filter((line) => !line.includes("x") && !line.endsWith("é")), { maxLength: 8 });
  assertFramingProperties(() => FilterLine.new({ Literal: "x\u00e9" }), records);
});

properties("the default mode reads LF-terminated input the same under any chunking", () => {
  const cases = fc.array(noNewline, { maxLength: 8 }).chain((lines) => fc.tuple(fc.constant(lines), splitsOf(Buffer.from(lines.map((l) => l + "\n").join("")))));
  fc.assert(
    fc.property(cases, ([lines, chunks]) => {
      assert.equal(feedOneByOne(FilterLine.new(), chunks), lines);
    }),
  );
});

properties("get(put(records)) round-trips in the default mode", () => {
  fc.assert(
    fc.property(fc.array(noNewline.filter((line) => !line.includes("\r")), { maxLength: 8 }), (lines) => {
      const filter = FilterLine.new();
      assert.equal(filter.get(filter.put(lines)), lines);
    }),
  );
});

// get_one_start with one chunk after a partial line appends only the head of
// that chunk and keeps its tail aside; with two chunks it copies them both.
// Any input, any chunking, any bounds: the two paths give the same lines,
// errors and pending bytes.
function feedRecording(filter: FilterLine, chunks: readonly Buffer[], split: boolean, probe: boolean): unknown[] {
  const seen: unknown[] = [];
  for (const chunk of chunks) {
    try {
      seen.push(filter.get(split ? [chunk] : [chunk, Buffer.alloc(0)]));
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      seen.push(error.message);
    }
    if (probe) seen.push(wireBytes(filter.get_pending() ?? []).toString("latin1"));
  }
  seen.push(wireBytes(filter.get_pending() ?? []).toString("latin1"));
  return seen;
}

// A single chunk may also be read as text (nothing pending, bytes that read
// as latin1): the same property holds with non-ASCII bytes and encodings.
properties("a chunk after a partial line, or read as text, is parsed as if it were copied whole", () => {
  // A chunk is split only from 1024 bytes on: hence the long part.
  const input = fc.array(fc.constantFrom("a", "bb", "\n", "\r", "\r\n", "\n\r", "ccccccc", "\u00e9", "\xff", "d".repeat(1030)), { maxLength: 40 }).map((parts) => Buffer.from(parts.join(""), "latin1"));
  const params = fc.constantFrom<Record<string, unknown>>(
    {}, { Literal: "\n" }, { Literal: "\r\n" }, { MaxLength: 4, MaxBuffer: 12 }, { Literal: "\n", MaxLength: 3 },
    { Encoding: "latin1" }, { Encoding: "latin1", Literal: "\u00e9a" }, { Literal: "cc", MaxLength: 5 }, { MaxLength: 3, MaxBuffer: 6 },
    { MaxLength: 2000, MaxBuffer: 3000 },
  );
  fc.assert(
    fc.property(input.chain((bytes) => fc.tuple(splitsOf(bytes), params, fc.boolean())), ([chunks, param, probe]) => {
      const split = feedRecording(FilterLine.new(param), chunks, true, probe);
      const copied = feedRecording(FilterLine.new(param), chunks, false, probe);
      assert.equal(split, copied);
    }),
  );
});

properties("large chunks after a partial line are parsed as if they were copied whole", () => {
  const line = fc.tuple(fc.nat({ max: 3000 }), fc.constantFrom("\n", "\r", "\r\n", "\n\r")).map(([length, end]) => "a".repeat(length) + end);
  const input = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => Buffer.from(lines.join("")));
  const cuts = (bytes: Buffer) => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 4 });
  const params = fc.constantFrom<Record<string, unknown>>({}, { Literal: "\n" }, { MaxLength: 2000, MaxBuffer: 8000 });
  fc.assert(
    fc.property(input.chain((bytes) => fc.tuple(fc.constant(bytes), cuts(bytes), params)), ([bytes, at, param]) => {
      const bounds = [0, ...[...at].filter((cut) => cut < bytes.length).sort((a, b) => a - b), bytes.length];
      const chunks = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
      assert.equal(feedRecording(FilterLine.new(param), chunks, true, true), feedRecording(FilterLine.new(param), chunks, false, true));
    }),
  );
});

// get_one() one line at a time, with get_pending() between: a chunk read as
// text hands its unread bytes over exactly as the byte buffer would.
function feedOneAtATime(filter: FilterLine, chunks: readonly Buffer[], asText: boolean, reads: readonly number[]): unknown[] {
  const seen: unknown[] = [];
  chunks.forEach((chunk, i) => {
    try {
      filter.get_one_start(asText ? [chunk] : [chunk, Buffer.alloc(0)]);
      for (let n = reads[i % reads.length] ?? 0; n > 0; n--) seen.push(filter.get_one());
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      seen.push(error.message);
    }
    seen.push(wireBytes(filter.get_pending() ?? []).toString("latin1"));
  });
  return seen;
}

properties("a chunk read as text gives the same lines and pending bytes under get_one and get_pending", () => {
  const input = fc.array(fc.constantFrom("a", "bb", "\n", "\r", "\r\n", "\u00e9", "x\n"), { maxLength: 30 }).map((parts) => Buffer.from(parts.join(""), "latin1"));
  const params = fc.constantFrom<Record<string, unknown>>({}, { Literal: "x\n" }, { Encoding: "latin1" }, { MaxLength: 2 });
  fc.assert(
    fc.property(input.chain((bytes) => fc.tuple(splitsOf(bytes), params, fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 5 }))), ([chunks, param, reads]) => {
      assert.equal(feedOneAtATime(FilterLine.new(param), chunks, true, reads), feedOneAtATime(FilterLine.new(param), chunks, false, reads));
    }),
  );
});

properties("a chunk read as text: CR at its end, LF at the next chunk's start", () => {
  const filter = FilterLine.new();
  assert.equal(filter.get([Buffer.from("one\rtwo\r")]), ["one", "two"]);
  assert.equal(filter.get([Buffer.from("\nthree\n")]), ["", "three"]);
  assert.is(filter.get_pending(), undefined);
});

properties("a chunk read as text: LF-ended lines before a CR, at it, and after the last one", () => {
  const filter = FilterLine.new();
  assert.equal(filter.get([Buffer.from("a\nb\r\nc\rd\ne\n\rf\ng\n")]), ["a", "b", "c", "d", "e", "f", "g"]);
  assert.equal(filter.get([Buffer.from("h\ni\r")]), ["h", "i"]);
  assert.equal(filter.get([Buffer.from("\nj\n")]), ["", "j"]);
  assert.is(filter.get_pending(), undefined);
});

properties("a chunk read as text: UTF-8 that is not ASCII is decoded as UTF-8", () => {
  const filter = FilterLine.new({ Literal: "\n" });
  assert.equal(filter.get([Buffer.from("caf\u00e9\nna\u00efve\n", "utf8")]), ["caf\u00e9", "na\u00efve"]);
  assert.equal(FilterLine.new({ Literal: "\n", Encoding: "latin1" }).get([Buffer.from("caf\u00e9\n", "utf8")]), ["caf\u00c3\u00a9"]);
});

properties("a chunk read as text: a line over MaxLength fails as the byte path does, then parsing goes on", () => {
  const filter = FilterLine.new({ MaxLength: 3 });
  filter.get_one_start([Buffer.from("ab\nabcdef\nok\nre")]);
  assert.equal(filter.get_one(), ["ab"]);
  assert.is(thrown(() => filter.get_one()).message, "POE::Filter::Line: Next line exceeds maximum line length (MaxLength = 3 bytes): 6 bytes");
  assert.equal(filter.get_one(), ["ok"]);
  assert.equal(filter.get_one(), []);
  assert.equal(wireBytes(filter.get_pending() ?? []).toString("latin1"), "re");
});

// A short chunk that is one whole line (an interactive peer's read) is
// decoded whole; anything else in a short chunk takes the byte path.
properties("a short chunk that is one line: every newline, and what is not one line", () => {
  const filter = FilterLine.new();
  const lines = (...chunks: string[]) => chunks.map((chunk) => filter.get([Buffer.from(chunk, "latin1")]));
  assert.equal(lines("a\n", "b\r\n", "c\n\r", "d\r", "\n", "\r\n", "e\n\nf\n", "g\r\rh\r\n", "i"), [["a"], ["b"], ["c"], ["d"], [""], [""], ["e", "", "f"], ["g", "", "h"], []]);
  assert.equal(lines("j\n"), [["ij"]]);
  assert.is(filter.get_pending(), undefined);
  // A line not taken yet is still pending bytes.
  filter.get_one_start([Buffer.from("k\r\n")]);
  assert.equal(wireBytes(filter.get_pending() ?? []).toString("latin1"), "k\r\n");
  assert.equal(filter.get_one(), ["k"]);
  assert.equal(filter.get_one(), []);
  // UTF-8 that is not ASCII, and a one-byte Literal.
  assert.equal(FilterLine.new().get([Buffer.from("caf\u00e9 \u20ac\n", "utf8")]), ["caf\u00e9 \u20ac"]);
  const pipe = FilterLine.new({ Literal: "|" });
  assert.equal(pipe.get([Buffer.from("a\nb|")]), ["a\nb"]);
  assert.equal(pipe.get([Buffer.from("c|d|")]), ["c", "d"]);
  // Under ASCII, which drops the high bit (0x8a reads as LF), the byte path decides.
  assert.equal(FilterLine.new({ Encoding: "ascii" }).get([Buffer.from([0x61, 0x8a, 0x0a])]), ["a\n"]);
  // Over MaxLength: the byte path's error, then the next line.
  const short = FilterLine.new({ MaxLength: 3 });
  assert.is(thrown(() => short.get([Buffer.from("abcd\n")])).message, "POE::Filter::Line: Next line exceeds maximum line length (MaxLength = 3 bytes): 4 bytes");
  assert.equal(short.get([Buffer.from("abc\n")]), ["abc"]);
});

// The unterminated tail of a chunk read as text waits as text for the next
// chunk, whose first line completes it (a raw-Node split's leftover).
properties("a chunk read as text: a line cut by the read boundary is completed by the next chunk", () => {
  const long = "x".repeat(1100);
  const filter = FilterLine.new();
  assert.equal(filter.get([Buffer.from(`${long}\npart`)]), [long]);
  assert.equal(filter.get([Buffer.from("ial\r\nnext\n")]), ["partial", "next"]);
  assert.is(filter.get_pending(), undefined);
  // The tail, then a chunk with no line end at all, then its end.
  assert.equal(filter.get([Buffer.from(`${long}\nab`)]), [long]);
  assert.equal(filter.get([Buffer.from("c".repeat(1500))]), []);
  assert.equal(filter.get([Buffer.from("d\ne\n")]), [`ab${"c".repeat(1500)}d`, "e"]);
  // The tail is still pending bytes: get_pending() hands them over.
  assert.equal(filter.get([Buffer.from(`${long}\ntail`)]), [long]);
  assert.equal(wireBytes(filter.get_pending() ?? []).toString("latin1"), "tail");
  // A non-ASCII chunk under UTF-8 completes the tail through the bytes.
  const utf8 = FilterLine.new({ Literal: "\n" });
  assert.equal(utf8.get([Buffer.from(`${long}\ncaf`)]), [long]);
  assert.equal(utf8.get([Buffer.from("\u00e9\nz\n", "utf8")]), ["caf\u00e9", "z"]);
  // A two-byte Literal cut between its bytes.
  const crlf = FilterLine.new({ Literal: "\r\n" });
  assert.equal(crlf.get([Buffer.from(`${long}\r\nab\r`)]), [long]);
  assert.equal(crlf.get([Buffer.from("\ncd\r\n")]), ["ab", "cd"]);
});

properties("a chunk read as text: the completed line is held to MaxLength and the tail to MaxBuffer", () => {
  const lines = "y\n".repeat(600);
  const filter = FilterLine.new({ MaxLength: 6 });
  assert.equal(filter.get([Buffer.from(`${lines}abcd`)]).length, 600);
  filter.get_one_start([Buffer.from("efg\nok\n")]);
  assert.is(thrown(() => filter.get_one()).message, "POE::Filter::Line: Next line exceeds maximum line length (MaxLength = 6 bytes): 7 bytes");
  assert.equal(filter.get_one(), ["ok"]);
  assert.is(filter.get_pending(), undefined);
  const bounded = FilterLine.new({ MaxLength: 100, MaxBuffer: 1300 });
  assert.equal(bounded.get([Buffer.from(`${lines}abcd`)]).length, 600);
  assert.is(thrown(() => bounded.get_one_start([Buffer.from("e".repeat(1297) + "\n")])).message, "POE::Filter::Line: Framing buffer exceeds the limit (MaxBuffer = 1300 bytes): 1302 bytes buffered");
});

properties("a 64 KiB chunk after a partial line: every line, in order", () => {
  const filter = FilterLine.new();
  const lines = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(8, "0")}${"x".repeat(91)}`);
  const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(""), "latin1");
  const got: string[] = [];
  for (let at = 0; at < bytes.length; at += 65536) {
    filter.get_one_start([bytes.subarray(at, at + 65536)]);
    for (let line = filter.get_one(); line.length > 0; line = filter.get_one()) got.push(line[0] as string);
  }
  assert.equal(got, lines);
  assert.is(filter.get_pending(), undefined);
});

properties.run();
