import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, KERNEL, SESSION, poeKernel, Session } from "../../kernel/index.js";
import { realTime, runKernel, runKernelRejects, virtualClock } from "../helpers/kernel-harness.js";

// Ports of POE t/10_units/07_exceptions/01_normal.t and 03_not_handled.t and of
// t/90_regression/grinnz-die-in-die.t, rt19908-merlyn-stop.t and whelan-dieprop.t;
// the expected traces were printed by POE 1.370 running the same programs.

const die = suite("DIE signal");
die.after.each(realTime);

die("a handler's exception becomes a DIE signal with POE's info record", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("DIE", "died");
        _[KERNEL].yield("death", 1);
      },
      death: () => {
        throw "bad\n";
      },
      died: (_) => {
        const info = _[ARG1];
        log.push([
          _[ARG0],
          Object.keys(info).sort(),
          info.source_session === _[SESSION],
          info.dest_session === _[SESSION],
          info.event,
          info.from_state,
          info.error_str,
          info.file,
          info.line,
        ]);
        _[KERNEL].sig_handled();
      },
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, [
    ["DIE", ["dest_session", "error_str", "event", "file", "from_state", "line", "source_session"], true, true, "death", "_start", "bad\n", undefined, undefined],
    "_stop",
  ]);
});

die("a handled DIE lets the program continue (07_exceptions/01_normal)", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        log.push("started");
        _[KERNEL].sig("DIE", "avoid_death");
        _[KERNEL].yield("death");
        _[KERNEL].delay("party", 0.5);
      },
      _stop: () => log.push("stopping"),
      death: () => {
        throw new Error("OMG THEY CANCELLED FRIENDS");
      },
      avoid_death: (_) => {
        log.push([_[ARG0], _[ARG1].from_state, (_[ARG1].error_str as Error).message]);
        _[KERNEL].sig("DIE");
        _[KERNEL].sig_handled();
      },
      party: () => log.push("party"),
    },
  });
  await runKernel();
  assert.equal(log, ["started", ["DIE", "_start", "OMG THEY CANCELLED FRIENDS"], "party", "stopping"]);
});

die("an exception in a child's _start is a DIE from _start with no from_state; the parent still gets _child", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        Session.create({
          inline_states: {
            _start: (_) => {
              _[KERNEL].sig("DIE", "died");
              throw "in start\n";
            },
            died: (_) => {
              log.push(["DIE", _[ARG1].event, _[ARG1].from_state]);
              _[KERNEL].sig_handled();
            },
            _stop: () => {
              log.push("child _stop");
            },
          },
        });
        log.push("create returned");
      },
      _child: (_) => log.push(`_child ${_[ARG0]} ${String(_[ARG0 + 2])}`),
    },
  });
  await runKernel();
  assert.equal(log, ["_child create undefined", "create returned", ["DIE", "_start", undefined], "child _stop", "_child lose undefined"]);
});

die("DIE propagates to ancestors; the parent's sig_handled saves both (whelan-dieprop)", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("DIE", "parent_exception");
        Session.create({
          inline_states: {
            _start: (_) => {
              _[KERNEL].sig("DIE", "child_exception");
              _[KERNEL].yield("throw_exception");
            },
            throw_exception: () => {
              throw "goodbye sweet world\n";
            },
            child_exception: () => log.push("child got exception"),
            _stop: () => log.push("child _stop"),
          },
        });
      },
      parent_exception: (_) => {
        log.push("parent got exception");
        _[KERNEL].sig_handled();
      },
      _child: () => {},
      _stop: () => log.push("parent _stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["child got exception", "parent got exception", "child _stop", "parent _stop"]);
});

// ---

const unhandled = suite("unhandled exceptions");
unhandled.after.each(realTime);

unhandled("an unhandled DIE stops every session and run() rejects with the thrown value (07_exceptions/03_not_handled)", async () => {
  virtualClock(1000);
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        log.push("started");
        _[KERNEL].sig("DIE", "mock_death");
        _[KERNEL].yield("death");
      },
      _stop: () => log.push("stopping"),
      death: () => {
        throw "OMG THEY CANCELLED FRIENDS\n";
      },
      mock_death: (_) => log.push(`mock_death ${_[ARG0]}`),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        log.push("other started");
        _[KERNEL].delay("last_breath", 0.5);
      },
      _stop: () => log.push("other stopping"),
      last_breath: () => log.push("survived"),
    },
  });
  const error = await runKernelRejects();
  assert.is(error, "OMG THEY CANCELLED FRIENDS\n");
  assert.equal(log, ["started", "other started", "mock_death DIE", "stopping", "other stopping"]);
});

unhandled("run() rejects with the very Error object a handler threw", async () => {
  const thrown = new RangeError("exact object");
  Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("x"), x: () => { throw thrown; } } });
  const error = await runKernelRejects();
  assert.is(error, thrown);
});

unhandled("an exception in _stop rejects run() and _stop runs once (rt19908-merlyn-stop)", async () => {
  let stops = 0;
  Session.create({
    inline_states: {
      _start: () => {},
      _stop: () => {
        stops += 1;
        throw "stop\n";
      },
    },
  });
  const error = await runKernelRejects();
  assert.equal([error, stops], ["stop\n", 1]);
});

unhandled("a DIE watcher that throws adds its error to the original one (grinnz-die-in-die)", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("DIE", "sig_DIE");
        throw "original error\n";
      },
      sig_DIE: (_) => {
        log.push(`die in ${_[ARG1].event} caught`);
        throw "error in error handler\n";
      },
    },
  });
  const error = await runKernelRejects();
  assert.equal(log, ["die in _start caught"]);
  assert.is(error, "original error\nAdditional error thrown in handler for previous error:\nerror in error handler\n");
});

unhandled("a DIE watcher that handles the DIE and then throws rejects run() with its own error", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("DIE", "died");
        _[KERNEL].yield("death");
      },
      death: () => {
        throw "first\n";
      },
      died: (_) => {
        _[KERNEL].sig_handled();
        throw "second\n";
      },
      _stop: () => log.push("_stop"),
    },
  });
  const error = await runKernelRejects();
  assert.equal([error, log], ["second\n", ["_stop"]]);
});

unhandled("the kernel runs again normally after a rejected run()", async () => {
  Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("x"), x: () => { throw "once\n"; } } });
  assert.is(await runKernelRejects(), "once\n");
  const log: string[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("x"), x: () => log.push("x"), _stop: () => log.push("_stop") } });
  await runKernel();
  assert.equal(log, ["x", "_stop"]);
  assert.is(poeKernel.get_active_session(), poeKernel);
});

die.run();
unhandled.run();
