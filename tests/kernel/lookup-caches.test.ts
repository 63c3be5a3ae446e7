// The kernel remembers the last alias it resolved and each session the last
// handler `call` looked up. These tests change the answer right after a
// lookup and check the next lookup sees the change.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ESRCH, KERNEL, SESSION, STATE, Session } from "../../kernel/index.js";
import { captureStderr, runKernel } from "../helpers/kernel-harness.js";

const aliases = suite("alias lookups after the alias table changes");

aliases("an alias moved to another session is resolved to the new owner", async () => {
  const log: unknown[] = [];
  const a = Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("svc"),
      who: () => "a",
      drop: (_) => _[KERNEL].alias_remove("svc"),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("go"),
      go: (_) => {
        const k = _[KERNEL];
        log.push(k.call("svc", "who"));
        k.call(a, "drop");
        log.push(k.call("svc", "who"), k.errno === ESRCH);
        k.alias_set("svc");
        log.push(k.call("svc", "who"));
        k.alias_remove("svc");
      },
      who: () => "b",
    },
  });
  await runKernel();
  assert.equal(log, ["a", undefined, true, "b"]);
});

aliases("an alias of a stopped session no longer resolves", async () => {
  const log: unknown[] = [];
  const a = Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("gone"), ping: () => "pong" } });
  Session.create({
    inline_states: {
      _start: (_) => {
        log.push(_[KERNEL].call("gone", "ping"));
        _[KERNEL].signal(a, "KILL");
        _[KERNEL].yield("later");
      },
      later: (_) => {
        const k = _[KERNEL];
        log.push(k.alias_resolve("gone"), k.post("gone", "ping"), k.errno === ESRCH);
      },
    },
  });
  await runKernel();
  assert.equal(log, ["pong", undefined, false, true]);
});

aliases("a name that did not resolve resolves once it is set", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        log.push(k.call("late", "hello"), k.errno === ESRCH);
        k.alias_set("late");
        log.push(k.call("late", "hello"));
        k.alias_remove("late");
      },
      hello: () => "hi",
    },
  });
  await runKernel();
  assert.equal(log, [undefined, true, "hi"]);
});

aliases.run();

// ---

const handlers = suite("handler lookups after state() and option()");

handlers("state() replacing or removing a handler is seen by the next call", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        const me = _[SESSION];
        log.push(k.call(me, "ev", 1));
        k.state("ev", (_2: any) => `new ${String(_2[ARG0])}`);
        log.push(k.call(me, "ev", 2));
        k.state("ev");
        log.push(k.call(me, "ev", 3));
      },
      ev: (_) => `old ${String(_[ARG0])}`,
      _default: (_) => `default ${String(_[ARG0])}`,
    },
  });
  await runKernel();
  assert.equal(log, ["old 1", "new 2", "default ev"]);
});

handlers("a handler called from another session picks up a replacement", async () => {
  const log: unknown[] = [];
  const target = Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("t"),
      ev: () => "first",
      swap: (_) => _[KERNEL].state("ev", () => "second"),
      done: (_) => _[KERNEL].alias_remove("t"),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        log.push(k.call("t", "ev"));
        k.call(target, "swap");
        log.push(k.call("t", "ev"), k.call(target, "ev"));
        k.post("t", "done");
      },
    },
  });
  await runKernel();
  assert.equal(log, ["first", "second", "second"]);
});

handlers("option('trace') after a call makes the next call traced", async () => {
  let session: Session | undefined;
  const [, stderr] = await captureStderr(async () => {
    session = Session.create({
      inline_states: {
        _start: (_) => {
          const k = _[KERNEL];
          k.call(_[SESSION], "ev");
          _[SESSION].option("trace", 1);
          k.call(_[SESSION], "ev");
          _[SESSION].option("trace", 0);
        },
        ev: (_) => _[STATE],
      },
    });
    await runKernel();
  });
  const id = String(session?.ID());
  assert.equal(stderr.split("\n").filter((line) => line.includes(" -> ev ")), [`=== ${process.pid} === ${id} -> ev (from ? at ?)`]);
});

handlers("sessions made from one inline_states object share its table, with empty object_states and package_states too, until one changes a handler", async () => {
  const log: unknown[] = [];
  const states = {
    _start: () => {},
    ev: (_: any) => `shared ${String(_[SESSION].ID())}`,
    swap: (_: any) => _[KERNEL].state("ev", () => "own"),
  };
  const a = Session.create({ inline_states: states, object_states: [], package_states: [] }) as Session;
  const b = Session.create({ inline_states: states }) as Session;
  const shared = a._states === b._states;
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.call(a, "swap");
        log.push(k.call(a, "ev"), k.call(b, "ev") === `shared ${String(b.ID())}`);
      },
    },
  });
  await runKernel();
  assert.equal([shared, a._states === b._states, ...log], [true, false, "own", true]);
});

handlers.run();
