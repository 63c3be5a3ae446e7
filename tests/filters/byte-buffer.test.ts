// The byte filters' framing buffer (filters/byte-buffer.ts): memory reuse,
// views that stay intact, and searches bounded by the pending bytes.

import { Buffer } from "node:buffer";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ByteBuffer } from "../../filters/byte-buffer.js";

const buffer = suite("ByteBuffer");

const pending = (b: ByteBuffer): string => b.bytes.toString("latin1", b.start, b.start + b.length);

buffer("an emptied buffer reuses its memory, and a kept one serves the next growth", () => {
  const b = new ByteBuffer();
  b.append([Buffer.from("ab")], 2);
  b.append([Buffer.from("cd")], 2); // copied into an owned Buffer
  const owned = b.bytes;
  b.skip(4);
  b.append([Buffer.from("e")], 1); // adopted; the owned Buffer is kept aside
  assert.is.not(b.bytes, owned);
  b.append([Buffer.from("f")], 1); // grows into the kept Buffer
  assert.is(b.bytes, owned);
  assert.is(pending(b), "ef");
  b.skip(2);
  b.append([Buffer.from("g"), Buffer.from("h")], 2); // two chunks: written into the emptied Buffer
  assert.is(b.bytes, owned);
  assert.is(pending(b), "gh");
});

buffer("memory a view was taken from is never written again", () => {
  const b = new ByteBuffer();
  b.append([Buffer.from("ab")], 2);
  b.append([Buffer.from("cd")], 2);
  const taken = b.take(4);
  b.append([Buffer.from("x"), Buffer.from("y")], 2);
  b.append([Buffer.from("zzzz")], 4);
  assert.is(taken.toString("latin1"), "abcd");
  const viewed = b.view();
  b.skip(6);
  b.append([Buffer.from("1"), Buffer.from("2")], 2);
  assert.is(viewed.toString("latin1"), "xyzzzz");
  assert.is(pending(b), "12");
});

buffer("indexOf finds only matches wholly within the pending bytes", () => {
  const b = new ByteBuffer();
  b.append([Buffer.from("x"), Buffer.from("\r\n")], 3);
  b.skip(3); // the memory still holds "x\r\n"
  b.append([Buffer.from("a"), Buffer.from("\r")], 2); // "a\r", with the old "\n" behind it
  assert.is(b.indexOf(Buffer.from("\r\n"), 0), -1);
  assert.is(b.indexOf(0x0d, 0), 1);
  assert.is(b.indexOf(0x0a, 0), -1);
  b.append([Buffer.from("\n")], 1);
  assert.is(b.indexOf(Buffer.from("\r\n"), 0), 1);
});

buffer("a Buffer grown past 64 KiB for a long record is let go of once emptied", () => {
  const b = new ByteBuffer();
  b.append([Buffer.alloc(40_000, 0x61), Buffer.alloc(1, 0x0a)], 40_001);
  const large = b.bytes;
  assert.ok(large.length > 64 * 1024);
  b.skip(40_001);
  b.append([Buffer.from("a"), Buffer.from("b")], 2);
  assert.is.not(b.bytes, large);
  assert.is(pending(b), "ab");
});

buffer.run();
