import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, CALLER_STATE, ESRCH, KERNEL, SENDER, SESSION, STATE, poeKernel, Session } from "../../kernel/index.js";
import { runKernel, runKernelRejects } from "../helpers/kernel-harness.js";

// Expected orders below were printed by POE 1.370 running the same programs.

const order = suite("post and yield order");

order("runs posts FIFO; events posted by queued handlers wait for the next timeslice", async () => {
  const log: string[] = [];
  for (const name of ["A", "B"]) {
    Session.create({
      inline_states: {
        _start: (_) => _[KERNEL].yield("step", 1),
        step: (_) => {
          log.push(`${name}${_[ARG0]}`);
          if (_[ARG0] < 3) _[KERNEL].yield("step", _[ARG0] + 1);
        },
      },
    });
  }
  await runKernel();
  assert.equal(log, ["A1", "B1", "A2", "B2", "A3", "B3"]);
});

order("dispatches a timer due in the past before posts queued earlier", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("A");
        _[KERNEL].yield("first");
      },
      first: (_) => {
        log.push("first");
        _[KERNEL].post("A", "p1");
        _[KERNEL].alarm("past", _[KERNEL].time() - 10);
        _[KERNEL].post("A", "p2");
      },
      p1: () => log.push("p1"),
      p2: () => log.push("p2"),
      past: () => log.push("past"),
    },
  });
  await runKernel();
  assert.equal(log, ["first", "past", "p1", "p2"]);
});

order("reports SENDER and CALLER_STATE of posts, yields and posts from outside any session", async () => {
  const log: unknown[][] = [];
  const a = Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("A");
        log.push(["_start", _[CALLER_STATE], _[SENDER] === poeKernel]);
        _[KERNEL].yield("mine");
      },
      mine: (_) => {
        log.push(["mine", _[CALLER_STATE], _[SENDER] === _[SESSION]]);
        _[KERNEL].post("B", "theirs");
      },
      outside: (_) => log.push(["outside", _[CALLER_STATE], _[SENDER] === poeKernel]),
    },
  }) as Session;
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("B"),
      theirs: (_) => {
        log.push(["theirs", _[CALLER_STATE], _[SENDER] === a]);
        _[KERNEL].alias_remove("B");
      },
    },
  });
  assert.is(poeKernel.post(a, "outside"), true);
  await runKernel();
  assert.equal(log, [
    ["_start", undefined, true],
    ["mine", "_start", true],
    ["outside", undefined, true],
    ["theirs", "mine", true],
  ]);
});

order("resolves destinations given as session, numeric ID, ID string and alias", async () => {
  const log: string[] = [];
  const s = Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("target"),
      hit: (_) => {
        log.push(_[ARG0]);
        if (_[ARG0] === "alias") _[KERNEL].alias_remove("target");
      },
    },
  }) as Session;
  const results = [
    poeKernel.post(s, "hit", "object"),
    poeKernel.post(s.ID(), "hit", "number"),
    poeKernel.post(String(s.ID()), "hit", "string"),
    poeKernel.post("target", "hit", "alias"),
  ];
  await runKernel();
  assert.equal(results, [true, true, true, true]);
  assert.equal(log, ["object", "number", "string", "alias"]);
});

order("yield returns undefined, even outside a session", async () => {
  let inside: unknown = "unset";
  Session.create({ inline_states: { _start: (_) => { inside = _[KERNEL].yield("nothing"); } } });
  const outside = poeKernel.yield("nothing");
  await runKernel();
  assert.equal([inside, outside], [undefined, undefined]);
});

order("post to an unknown session returns false with errno ESRCH", async () => {
  poeKernel.errno = 0;
  const result = poeKernel.post("nobody-here", "x");
  assert.equal([result, poeKernel.errno], [false, ESRCH]);
  await runKernel();
});

order("posting _start to a live session runs its handler without restarting it", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        log.push(`_start sender=${_[SENDER] === _[SESSION] ? "self" : "kernel"}`);
        if (log.length === 1) _[KERNEL].yield("_start");
      },
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["_start sender=kernel", "_start sender=self", "_stop"]);
});

// ---

const call = suite("call");

call("returns the handler's value synchronously and sets errno to 0", async () => {
  const log: unknown[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("svc"), twice: (_) => { log.push("twice"); return _[ARG0] * 2; }, _stop: () => {} } });
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].errno = 99;
        const value = _[KERNEL].call("svc", "twice", 21);
        log.push(value, _[KERNEL].errno);
        _[KERNEL].alias_remove("svc");
        _[KERNEL].call(poeKernel.alias_resolve("svc") ?? 1, "nothing");
      },
    },
  });
  await runKernel();
  assert.equal(log, ["twice", 42, 0]);
});

call("to an unknown session returns undefined with errno ESRCH", async () => {
  poeKernel.errno = 0;
  const value = poeKernel.call("nobody-here", "x");
  assert.equal([value, poeKernel.errno], [undefined, ESRCH]);
  await runKernel();
});

call("to a session without the handler or _default returns undefined with errno 0", async () => {
  const seen: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const other = Session.create({ inline_states: { _start: () => {} } });
        _[KERNEL].errno = 99;
        seen.push(_[KERNEL].call(other, "missing"), _[KERNEL].errno);
      },
    },
  });
  await runKernel();
  assert.equal(seen, [undefined, 0]);
});

call("to the active session keeps the caller's active event and CALLER_STATE", async () => {
  const seen: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("outer"),
      outer: (_) => {
        seen.push(_[KERNEL].call(_[SESSION], "inner", 5));
      },
      inner: (_) => {
        seen.push(_[STATE], _[CALLER_STATE], _[KERNEL].get_active_event(), _[SENDER] === _[SESSION]);
        return _[ARG0] + 1;
      },
    },
  });
  await runKernel();
  assert.equal(seen, ["inner", "outer", "outer", true, 6]);
});

call("to another session switches the active session and event, then restores them", async () => {
  const seen: unknown[] = [];
  const b = Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("B"),
      probe: (_) => {
        seen.push(_[KERNEL].get_active_session() === _[SESSION], _[KERNEL].get_active_event(), _[CALLER_STATE]);
        _[KERNEL].alias_remove("B");
      },
    },
  }) as Session;
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("go"),
      go: (_) => {
        _[KERNEL].call("B", "probe");
        seen.push(_[KERNEL].get_active_session() === _[SESSION], _[KERNEL].get_active_event());
      },
    },
  });
  void b;
  await runKernel();
  assert.equal(seen, [true, "probe", "go", true, "go"]);
});

call("an exception in a self-call reaches the caller synchronously, with no DIE signal", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("DIE", "died");
        try {
          _[KERNEL].call(_[SESSION], "boom");
        } catch (error) {
          log.push(`caught ${String(error)}`);
        }
      },
      boom: () => {
        throw "self\n";
      },
      died: () => log.push("DIE"),
    },
  });
  await runKernel();
  assert.equal(log, ["caught self\n"]);
});

call("an exception in a call to another session returns undefined and queues DIE to the callee", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("DIE", "died");
        _[KERNEL].alias_set("callee");
      },
      boom: () => {
        throw "other\n";
      },
      died: (_) => {
        const info = _[ARG1];
        log.push(["DIE", info.event, info.error_str, info.dest_session === _[SESSION], info.from_state]);
        _[KERNEL].sig_handled();
        _[KERNEL].alias_remove("callee");
      },
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("go"),
      go: (_) => {
        _[KERNEL].errno = 99;
        const value = _[KERNEL].call("callee", "boom");
        log.push(["returned", value, _[KERNEL].errno]);
      },
    },
  });
  await runKernel();
  assert.equal(log, [
    ["returned", undefined, 0],
    ["DIE", "boom", "other\n", true, "go"],
  ]);
});

call("rethrows from run() when the caller's DIE is not handled", async () => {
  Session.create({ inline_states: { _start: (_) => _[KERNEL].call(_[SESSION], "boom"), boom: () => { throw "start died\n"; } } });
  const error = await runKernelRejects();
  assert.is(error, "start died\n");
});

// ---

const stopping = suite("post and call from _stop");

stopping("post from _stop returns true but is never delivered; call from _stop works", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("B"),
      late: () => log.push("B late"),
      ret: () => {
        log.push("B ret");
        return 42;
      },
      _stop: () => log.push("B _stop"),
    },
  });
  Session.create({
    inline_states: {
      _start: () => {},
      _stop: (_) => {
        log.push("A _stop");
        log.push(["post", _[KERNEL].post("B", "late")]);
        log.push(["call", _[KERNEL].call("B", "ret")]);
        _[KERNEL].yield("never");
      },
      never: () => log.push("never"),
    },
  });
  await runKernel();
  assert.equal(log, ["A _stop", ["post", true], "B ret", ["call", 42], "B _stop"]);
});

order.run();
call.run();
stopping.run();
