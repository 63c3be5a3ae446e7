import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, DESTROY, HEAP, KERNEL, SENDER, SESSION, poeKernel, Session } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

// ARG layouts and return values match POE 1.370 (conformance case k_postback).

const calls = suite("postback and callback calls");

calls("a postback posts (ARG0 = [context], ARG1 = [its args]) and returns 0", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const pb = _[SESSION].postback("reply", "req-1", 7);
        log.push(["returned", pb("x", "y")]);
        log.push("after call");
        pb.release();
      },
      reply: (_) => log.push(["reply", _[ARG0], _[ARG1], _[SENDER] === _[SESSION]]),
    },
  });
  await runKernel();
  assert.equal(log, [["returned", 0], "after call", ["reply", ["req-1", 7], ["x", "y"], true]]);
});

calls("a callback calls synchronously and returns the handler's value (averell-callback-ret)", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const cb = _[SESSION].callback("compute", "tag");
        log.push(["returned", cb(5, 6)]);
        cb.release();
      },
      compute: (_) => {
        log.push(["compute", _[ARG0], _[ARG1]]);
        return 42;
      },
    },
  });
  await runKernel();
  assert.equal(log, [["compute", ["tag"], [5, 6]], ["returned", 42]]);
});

calls("SENDER of the event is the session that invokes the postback", async () => {
  const log: unknown[] = [];
  const target = Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("target"),
      hit: (_) => {
        log.push(_[SENDER] === invoker);
        _[KERNEL].alias_remove("target");
      },
    },
  }) as Session;
  const pb = target.postback("hit");
  const invoker = Session.create({ inline_states: { _start: () => { pb(); pb.release(); } } }) as Session;
  await runKernel();
  assert.equal(log, [true]);
});

// ---

const lifetime = suite("postback lifetime");
lifetime.after.each(realTime);

lifetime("a live postback keeps its session alive until release()", async () => {
  const clock = virtualClock(1000);
  const log: unknown[] = [];
  let pb: any;
  Session.create({
    inline_states: {
      _start: (_) => {
        pb = _[SESSION].postback("ping");
      },
      ping: (_) => log.push(["ping", _[ARG1], clock.now()]),
      _stop: () => log.push(["_stop", clock.now()]),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].delay("fire", 10),
      fire: () => {
        pb("late");
        pb.release();
        pb.release();
      },
    },
  });
  await runKernel();
  assert.equal(log, [["ping", ["late"], 1010], ["_stop", 1010]]);
});

lifetime("weaken() releases the session and returns the same, still usable function", async () => {
  const log: string[] = [];
  let same = false;
  Session.create({
    inline_states: {
      _start: (_) => {
        const pb = _[SESSION].postback("ping");
        same = pb.weaken() === pb;
        pb();
      },
      ping: () => log.push("ping"),
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal([same, log], [true, ["ping", "_stop"]]);
});

lifetime("deleting a postback from a heap releases it", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        Session.create({
          inline_states: {
            _start: (_) => {
              _[HEAP].pb = _[ARG0];
              _[KERNEL].yield("use");
            },
            use: (_) => {
              _[HEAP].pb("used");
              delete _[HEAP].pb;
            },
            _stop: () => log.push("holder _stop"),
          },
          args: [_[SESSION].postback("reply")],
        });
      },
      reply: (_) => log.push(`reply ${_[ARG1][0]}`),
      _child: () => {},
      _stop: () => log.push("target _stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["reply used", "holder _stop", "target _stop"]);
});

lifetime("overwriting a heap slot holding a postback releases the old one", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].cb = _[SESSION].callback("noop");
        _[HEAP].cb = _[SESSION].callback("noop");
        _[HEAP].cb = undefined;
      },
      noop: () => {},
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["_stop"]);
});

lifetime("a heap freed at _stop releases the postbacks it still holds", async () => {
  const log: string[] = [];
  const target = Session.create({
    inline_states: {
      _start: () => {},
      reply: () => log.push("reply"),
      _stop: () => log.push("target _stop"),
    },
  }) as Session;
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].pb = target.postback("reply");
        _[KERNEL].delay("never", undefined);
      },
      _stop: () => log.push("holder _stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["holder _stop", "target _stop"]);
});

lifetime("a postback to a stopped session posts nothing", async () => {
  let pb: any;
  Session.create({ inline_states: { _start: (_) => { pb = _[SESSION].postback("x"); pb.release(); } } });
  await runKernel();
  poeKernel.errno = 0;
  assert.equal([pb("late"), poeKernel.errno], [0, 3]);
  assert.is(typeof pb[DESTROY], "function");
});

calls.run();
lifetime.run();
