import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, CALLER_STATE, HEAP, KERNEL, OBJECT, SENDER, SESSION, STATE, poeKernel, Session } from "../../kernel/index.js";
import { captureStderr, captureWarnings, runKernel } from "../helpers/kernel-harness.js";

const states = suite("Session.create states");

states("object_states in list and map form call methods with this and OBJECT = the object", async () => {
  const log: unknown[] = [];
  class Counter {
    label = "counter";
    _start(_: any) {
      log.push(["start", this.label, _[OBJECT] === this, _[ARG0]]);
      _[KERNEL].yield("tick");
    }
    onTick(_: any) {
      log.push(["tick", this.label, _[STATE]]);
    }
  }
  const counter = new Counter();
  Session.create({ object_states: [counter, ["_start"], counter, { tick: "onTick" }], args: [7] });
  await runKernel();
  assert.equal(log, [["start", "counter", true, 7], ["tick", "counter", "tick"]]);
});

states("package_states accept a class's static methods and a module-like namespace", async () => {
  const log: unknown[] = [];
  class Handlers {
    static _start(_: any) {
      log.push(["class start", _[OBJECT] === Handlers]);
      _[KERNEL].yield("ping");
    }
    static onPing(_: any) {
      log.push(["class ping", _[OBJECT] === Handlers]);
    }
  }
  const Namespace = { pong: (_: any) => log.push(["namespace pong", _[OBJECT] === Namespace]) };
  const s = Session.create({ package_states: [Handlers, ["_start"], Handlers, { ping: "onPing" }, Namespace, ["pong"]] });
  poeKernel.post(s, "pong");
  await runKernel();
  assert.equal(log, [["class start", true], ["class ping", true], ["namespace pong", true]]);
});

states("methods are looked up when the event is dispatched", async () => {
  const log: string[] = [];
  const obj: any = {
    _start(_: any) {
      obj.tick = () => log.push("replaced tick");
      _[KERNEL].yield("tick");
    },
    tick: () => log.push("original tick"),
  };
  Session.create({ object_states: [obj, ["_start", "tick"]] });
  await runKernel();
  assert.equal(log, ["replaced tick"]);
});

states("inline handlers get OBJECT undefined, and _default gets (name, [args]) with STATE _default", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        log.push(["_start", _[OBJECT]]);
        _[KERNEL].yield("puzzle", 42, "x");
      },
      _default: (_) => {
        log.push([_[STATE], _[ARG0], _[ARG1]]);
        return "from default";
      },
    },
  });
  await runKernel();
  assert.equal(log, [["_start", undefined], ["_default", "puzzle", [42, "x"]], ["_default", "_stop", []]]);
});

states("_default's ARG1 is a copy of the original args (rt14444-arg1)", async () => {
  let original: unknown[] = [];
  let seen: unknown;
  Session.create({
    inline_states: {
      _start: (_) => {
        original = [1, 2];
        seen = _[KERNEL].call(_[SESSION], "nothing", ...original);
      },
      _default: (_) => {
        _[ARG1].push("added");
        return _[ARG1];
      },
    },
  });
  await runKernel();
  assert.equal([seen, original], [[1, 2, "added"], [1, 2]]);
});

// ---

const params = suite("Session.create args, heap and options");

params("a non-array args value becomes the single ARG0", async () => {
  const seen: unknown[] = [];
  Session.create({ inline_states: { _start: (_) => seen.push(_.slice(ARG0)) }, args: { a: 1 } });
  Session.create({ inline_states: { _start: (_) => seen.push(_.slice(ARG0)) } });
  await runKernel();
  assert.equal(seen, [[{ a: 1 }], []]);
});

params("heap defaults to a fresh object and may be any value", async () => {
  const seen: unknown[] = [];
  const mine = { count: 3 };
  Session.create({ inline_states: { _start: (_) => seen.push(_[HEAP]) } });
  Session.create({ inline_states: { _start: (_) => seen.push(_[HEAP] === mine || _[HEAP].count) }, heap: mine });
  Session.create({ inline_states: { _start: (_) => seen.push(_[HEAP]) }, heap: "a string" });
  const s = Session.create({ inline_states: { _start: () => {} }, heap: [1, 2] }) as Session;
  seen.push(s.get_heap());
  await runKernel();
  assert.equal(seen, [{}, 3, "a string", [1, 2]]);
});

params("option() reads, sets and returns previous values, normalising names and on/off words", async () => {
  const seen: unknown[] = [];
  Session.create({
    options: { Default: "yes" },
    inline_states: {
      _start: (_) => {
        const s = _[SESSION];
        seen.push(s.option("default"));
        seen.push(s.option("TRACE", "off"), s.option("trace"));
        seen.push(s.option("mine", "value", "debug", "true"));
        seen.push(s.option("mine", undefined), s.option("mine"));
        s.option("default", 0);
      },
    },
  });
  await runKernel();
  assert.equal(seen, [1, undefined, 0, { mine: undefined, debug: undefined }, "value", undefined]);
});

params("option trace writes one line per dispatch to stderr", async () => {
  const [, text] = await captureStderr(async () => {
    const s = Session.create({ options: { trace: 1 }, inline_states: { _start: (_) => _[KERNEL].yield("woot"), woot: () => {}, _default: () => {} } }) as Session;
    poeKernel.post(s, "unknown");
    await runKernel();
    return s;
  });
  const prefix = `=== ${process.pid} === `;
  const id = text.slice(prefix.length).split(" ")[0];
  // POE 1.370 prints the same lines, with a file and line where poe-ts has "?".
  assert.equal(text.split("\n"), [
    `${prefix}${id} -> _start (from ? at ?)`,
    `${prefix}${id} -> woot (from ? at ?)`,
    `${prefix}${id} -> unknown (from ? at ?)`,
    `${prefix}${id} -> unknown redirected to _default`,
    `${prefix}${id} -> _stop (from ? at ?)`,
    `${prefix}${id} -> _stop redirected to _default`,
    "",
  ]);
});

params("option default warns about events nobody handles, in POE's words", async () => {
  const [, warnings] = await captureWarnings(async () => {
    Session.create({ options: { default: 1 }, inline_states: { _start: (_) => { _[KERNEL].alias_set("loud"); _[KERNEL].yield("nobody_home"); }, nobody_home_x: () => {} } });
    await runKernel();
  });
  // POE 1.370 prints the same two warnings, with a file and line where poe-ts has "?".
  const id = /session (\d+)/.exec(warnings[0] ?? "")?.[1];
  assert.equal(warnings, [
    `=== ${process.pid} === a 'nobody_home' event was sent from ? at ? to session ${id} (loud) but session ${id} (loud) has neither a handler for it nor one for _default`,
    `=== ${process.pid} === a '_stop' event was sent from ? at ? to session ${id} (loud) but session ${id} (loud) has neither a handler for it nor one for _default`,
  ]);
});

params("option debug warns when state() redefines a handler", async () => {
  const log: string[] = [];
  const [, warnings] = await captureWarnings(async () => {
    Session.create({
      options: { debug: 1 },
      inline_states: {
        _start: (_) => {
          _[KERNEL].state("tick", () => log.push("new tick"));
          _[KERNEL].yield("tick");
        },
        tick: () => log.push("old tick"),
      },
    });
    await runKernel();
  });
  assert.equal(log, ["new tick"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^redefining handler for event\(tick\) for session\(\d+\)$/);
});

// ---

const dynamic = suite("state() at run time");

dynamic("adds, replaces and removes handlers of the active session", async () => {
  const log: string[] = [];
  class Obj {
    greet(_: any) {
      log.push(`method ${_[STATE]} ${_[OBJECT] === this}`);
    }
  }
  const obj = new Obj();
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        log.push(`add ${k.state("added", () => log.push("added ran"))}`);
        k.state("hello", obj, "greet");
        k.yield("added");
        k.yield("hello");
        k.yield("drop");
      },
      drop: (_) => {
        _[KERNEL].state("added");
        _[KERNEL].yield("added");
      },
      _default: (_) => {
        if (_[ARG0] === "added") log.push("added went to _default");
      },
    },
  });
  await runKernel();
  assert.equal(log, ["add 0", "added ran", "method hello true", "added went to _default"]);
});

dynamic("state() changes one session only, even when sessions share inline_states", async () => {
  const log: string[] = [];
  const inline = {
    _start: (_: any) => {
      if (_[ARG0] === "first") _[KERNEL].state("x", () => log.push("first's new x"));
      _[KERNEL].yield("x");
    },
    x: (_: any) => log.push(`${_[HEAP].name} old x`),
  };
  Session.create({ inline_states: inline, args: ["first"], heap: { name: "first" } });
  Session.create({ inline_states: inline, args: ["second"], heap: { name: "second" } });
  await runKernel();
  assert.equal(log, ["first's new x", "second old x"]);
});

dynamic("a frozen inline_states object serves several sessions, and state() still changes one only", async () => {
  const log: string[] = [];
  const inline = Object.freeze({
    _start: (_: any) => {
      if (_[ARG0] === "first") _[KERNEL].state("x", () => log.push("first's new x"));
      _[KERNEL].yield("x");
    },
    x: (_: any) => log.push(`${_[HEAP].name} old x`),
  });
  for (const name of ["first", "second", "third"]) Session.create({ inline_states: inline, args: [name], heap: { name } });
  await runKernel();
  assert.equal(log, ["first's new x", "second old x", "third old x"]);
});

dynamic("state() refuses _signal and a handler object without the method", async () => {
  const errors = await (async () => {
    const out: string[] = [];
    Session.create({
      inline_states: {
        _start: (_) => {
          for (const fn of [() => _[KERNEL].state("_signal", () => {}), () => _[KERNEL].state("x", {}, "nope")]) {
            try {
              fn();
            } catch (error) {
              out.push((error as Error).message);
            }
          }
        },
      },
    });
    await runKernel();
    return out;
  })();
  assert.equal(errors, [
    "The _signal event is deprecated. Please use sig() to register a signal handler",
    "POE::Kernel->state: object does not have a 'nope' method",
  ]);
});

states.run();
params.run();
dynamic.run();

// ---

const handlerArgs = suite("the handler's _ (Perl's @_)");

handlerArgs("is an array with POE's layout, its accessors, and Array's methods", async () => {
  const seen: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("ev", "a", "b"),
      ev: (_) => {
        seen.push(Array.isArray(_), _.length, _[STATE], _.state, _.args, _.slice(ARG0));
        seen.push(Array.from(_.slice(ARG0).entries()), _.map((v) => typeof v).slice(ARG0));
        const copy = Array.from(_);
        const picked = _.filter((v) => v === "b");
        seen.push(copy.length, copy[ARG0], picked.constructor.name, [...picked], _.concat(["c"]).slice(ARG0));
      },
    },
  });
  await runKernel();
  assert.equal(seen, [
    true, ARG0 + 2, "ev", "ev", ["a", "b"], ["a", "b"],
    [[0, "a"], [1, "b"]], ["string", "string"],
    ARG0 + 2, "a", "HandlerArgs", ["b"], ["a", "b", "c"],
  ]);
});

handlerArgs("an event yielded or posted without arguments has none; each event its own _", async () => {
  const seen: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].yield("bare");
        _[KERNEL].yield("bare");
        _[KERNEL].post(_[SESSION], "bare");
      },
      bare: (_) => {
        seen.push(_.length === ARG0, _.slice(ARG0));
        _.push("scribble");
      },
    },
  });
  await runKernel();
  assert.equal(seen, [true, [], true, [], true, []]);
});

handlerArgs("holds POE's slots before ARG0 and exactly the arguments given, for any number, posted or called", async () => {
  const seen: unknown[] = [];
  const argLists = [[], ["a"], ["a", "b"], ["a", "b", "c"], [1, 2, 3, 4, 5]];
  Session.create({
    inline_states: {
      _start: (_) => {
        for (const args of argLists) _[KERNEL].yield("ev", ...args);
        for (const args of argLists) _[KERNEL].call(_[SESSION], "ev", ...args);
      },
      ev: (_) => {
        const head = [..._].slice(0, ARG0).map((slot) => (slot === _[SESSION] ? "session" : slot === _[KERNEL] ? "kernel" : slot === _[HEAP] ? "heap" : slot));
        seen.push([_.length, head, _[SENDER] === _[SESSION], _[CALLER_STATE], _.slice(ARG0)]);
      },
    },
  });
  await runKernel();
  const expected = (caller: string) => argLists.map((args) => [ARG0 + args.length, [undefined, "session", "kernel", "heap", "ev", "session", undefined, undefined, undefined, caller], true, caller, args]);
  // The calls run inside _start; the yields after it, each from _start.
  assert.equal(seen, [...expected("_start"), ...expected("_start")]);
});

handlerArgs.run();
