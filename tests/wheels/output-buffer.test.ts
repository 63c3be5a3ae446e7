// ReadWrite's output buffer (POE::Driver::SysRW's output half) against
// in-process Writables: one write per batch, octets counted until the
// stream has taken them, and the "at once" write the kernel's I/O phase uses.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Writable } from "node:stream";
import { OutputBuffer } from "../../wheels/output-buffer.js";

/** A Writable recording its chunks; `hold` keeps each write's callback until release(). */
function sink(mode: "sync" | "hold" | "fail") {
  const chunks: string[] = [];
  const held: Array<(error?: Error | null) => void> = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, cb) {
      chunks.push(typeof chunk === "string" ? chunk : `<${chunk.length} bytes>`);
      if (mode === "sync") cb();
      else if (mode === "fail") cb(new Error("boom"));
      else held.push(cb);
    },
  });
  stream.on("error", () => {});
  const release = () => { for (const cb of held.splice(0)) cb(); };
  return { stream, chunks, release };
}

/** Collect what a write's `done` callback is called with. */
function doneLog(log: unknown[]) {
  return (error: Error | null | undefined) => log.push(["done", error ? error.message : error]);
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

// ---

const atOnce = suite("OutputBuffer.write at once");

atOnce("a write the stream takes before write() returns is done then: true, and no callback", async () => {
  const { stream, chunks } = sink("sync");
  const buffer = new OutputBuffer();
  const log: unknown[] = [];
  buffer.put(["one\n", "two\n"]);
  log.push(["wrote", buffer.write(stream, doneLog(log), true), buffer.octets, buffer.messages]);
  buffer.written();
  log.push(["after written()", buffer.octets, buffer.messages]);
  await tick();
  assert.equal(chunks, ["one\ntwo\n"]);
  assert.equal(log, [["wrote", true, 8, 2], ["after written()", 0, 0]]);
});

atOnce("each write takes what was put since the last one: one chunk, one chunk, then two", async () => {
  const { stream, chunks } = sink("sync");
  const buffer = new OutputBuffer();
  const log: unknown[] = [];
  for (const batch of [["a\n"], ["b\n"], ["c\n", "d\n"]]) {
    buffer.putString(batch[0] as string);
    if (batch.length > 1) buffer.put(batch.slice(1));
    log.push([buffer.messages, buffer.write(stream, doneLog(log), true), buffer.hasPending]);
    buffer.written();
  }
  await tick();
  assert.equal(chunks, ["a\n", "b\n", "c\nd\n"]);
  assert.equal(log, [[1, true, false], [1, true, false], [2, true, false]]);
  assert.equal([buffer.octets, buffer.messages], [0, 0]);
});

atOnce("a write the stream holds gets an empty marker write; done runs once both are taken", async () => {
  const { stream, chunks, release } = sink("hold");
  const buffer = new OutputBuffer();
  const log: unknown[] = [];
  buffer.put(["held\n"]);
  log.push(["wrote", buffer.write(stream, doneLog(log), true)]);
  await tick();
  log.push(["before release", buffer.octets]);
  release();
  await tick();
  release();
  await tick();
  assert.equal(chunks, ["held\n", "<0 bytes>"]);
  assert.equal(log, [["wrote", false], ["before release", 5], ["done", null]]);
});

atOnce("a write that fails at once calls done with its error on the next tick", async () => {
  const { stream } = sink("fail");
  const buffer = new OutputBuffer();
  const log: unknown[] = [];
  buffer.put(["lost\n"]);
  log.push(["wrote", buffer.write(stream, doneLog(log), true)]);
  log.push("returned");
  await tick();
  assert.equal(log, [["wrote", false], "returned", ["done", "boom"]]);
});

atOnce("a stream with output already queued, or destroyed, is written with a callback", async () => {
  const { stream, chunks, release } = sink("hold");
  const buffer = new OutputBuffer();
  const log: unknown[] = [];
  stream.write("before\n");
  buffer.put(["queued\n"]);
  log.push(["queued", buffer.write(stream, doneLog(log), true)]);
  release();
  await tick();
  release();
  await tick();
  const gone = sink("sync");
  gone.stream.destroy();
  buffer.put(["gone\n"]);
  log.push(["destroyed", buffer.write(gone.stream, doneLog(log), true)]);
  await tick();
  assert.equal(chunks, ["before\n", "queued\n"]);
  assert.equal(log, [["queued", false], ["done", null], ["destroyed", false], ["done", "Cannot call write after a stream was destroyed"]]);
});

atOnce("without at-once, even a write the stream takes at once completes through its callback", async () => {
  const { stream } = sink("sync");
  const buffer = new OutputBuffer();
  const log: unknown[] = [];
  buffer.put(["x"]);
  log.push(["wrote", buffer.write(stream, doneLog(log))]);
  log.push("returned");
  await tick();
  assert.equal(log, [["wrote", false], "returned", ["done", null]]);
});

atOnce.run();
