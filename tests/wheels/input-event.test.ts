// The `_` an InputEvent handler gets. A plain inline handler is run by the
// wheel's read loop directly (the kernel's _callActive2); a handler in a
// session with options, an object's method and _default go through call().
// Every way must give the handler the same `_`, active event and errno.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PassThrough } from "node:stream";
import { ARG0, HEAP, KERNEL, poeKernel, Session } from "../../kernel/index.js";
import type { HandlerArgs } from "../../kernel/index.js";
import { FilterLine } from "../../filters/index.js";
import { WheelReadWrite } from "../../wheels/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

const input = suite("InputEvent's handler arguments");

type Kind = "inline" | "options" | "object" | "default";

// Two lines in one chunk, then end of stream; what each handler saw, with
// the session, kernel, heap and wheel ID replaced by names.
async function seen(kind: Kind): Promise<unknown[]> {
  const log: unknown[] = [];
  let session: unknown;
  let wheelId = -1;
  const got = (_: HandlerArgs): void => {
    const k = _[KERNEL];
    const readState = `POE::Wheel::ReadWrite(${wheelId}) -> select read`;
    const name = (value: unknown): unknown =>
      value === session ? "session" : value === poeKernel ? "kernel" : value === _[HEAP] ? "heap" : value === wheelId ? "wheel id" : value === readState ? "read state" : value;
    // errno as the previous line's call left it (this handler sets 42).
    log.push([..._].map(name), name(k.get_active_event()), log.length === 0 ? "first" : k.errno);
    k.errno = 42;
  };
  const start = (_: HandlerArgs): void => {
    session = _[1];
    const stream = new PassThrough();
    _[HEAP].wheel = WheelReadWrite.new({ Handle: stream, Filter: FilterLine.new({ Literal: "\n" }), InputEvent: "got", ErrorEvent: "eof" });
    wheelId = _[HEAP].wheel.ID();
    stream.end("one\ntwo\n");
  };
  const eof = (_: HandlerArgs): void => {
    delete _[HEAP].wheel;
  };
  const handlers = { got: kind === "default" ? undefined : got, _start: start, eof };
  if (kind === "object") {
    const obj = { _start: start, eof, got: (_: HandlerArgs) => got(_) };
    Session.create({ object_states: [obj, ["_start", "eof", "got"]] });
  } else if (kind === "default") {
    Session.create({ inline_states: { _start: start, eof, _default: (_) => _[ARG0] === "got" && log.push(["_default", _[ARG0], ..._[ARG0 + 1]]) } });
  } else {
    Session.create({ inline_states: handlers as never, ...(kind === "options" ? { options: { debug: 0 } } : {}) });
  }
  await runKernel();
  return log.map((entry) => (Array.isArray(entry) && entry[0] === "_default" ? entry.map((v) => (v === wheelId ? "wheel id" : v)) : entry));
}

input("a plain inline handler gets what a handler reached through call() gets", async () => {
  const inline = await seen("inline");
  const expected = (line: string, errno: unknown): unknown[] => [
    [undefined, "session", "kernel", "heap", "got", "session", undefined, undefined, undefined, "read state", line, "wheel id"],
    "read state",
    errno,
  ];
  assert.equal(inline, [...expected("one", "first"), ...expected("two", 0)]);
  assert.equal(await seen("options"), inline);
  const object = await seen("object");
  assert.equal(object.map((entry, i) => (i % 3 === 0 ? [undefined, ...(entry as unknown[]).slice(1)] : entry)), inline);
  assert.equal(await seen("default"), [["_default", "got", "one", "wheel id"], ["_default", "got", "two", "wheel id"]]);
});

input.run();
