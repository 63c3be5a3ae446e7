import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, KERNEL, poeKernel, Session, SESSION } from "../../kernel/index.js";
import { assertNoLeaks, pendingTimers, runKernel } from "../helpers/kernel-harness.js";

// Traces below were printed by POE 1.370 running the same programs.

const run = suite("run");

run("resolves at once when there are no sessions (k_run_returns)", async () => {
  await runKernel();
});

run("resolves after the last session stopped, and can run again with new sessions", async () => {
  const log: string[] = [];
  for (const round of [1, 2, 3]) {
    Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("x"), x: () => log.push(`x${round}`), _stop: () => log.push(`_stop${round}`) } });
    await runKernel();
    log.push(`run${round} done`);
  }
  assert.equal(log, ["x1", "_stop1", "run1 done", "x2", "_stop2", "run2 done", "x3", "_stop3", "run3 done"]);
});

run("returns the same promise when called again while running", async () => {
  Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("x"), x: () => {} } });
  const first = poeKernel.run();
  const second = poeKernel.run();
  assert.is(first, second);
  await first;
  assertNoLeaks();
});

run("the active session is the kernel before, between and after runs", async () => {
  const seen = [poeKernel.get_active_session() === poeKernel];
  Session.create({ inline_states: { _start: () => {} } });
  seen.push(poeKernel.get_active_session() === poeKernel);
  await runKernel();
  seen.push(poeKernel.get_active_session() === poeKernel, poeKernel.get_active_event() === undefined);
  assert.equal(seen, [true, true, true, true]);
});

run("work queued for the next I/O phase from inside one gets a turn of its own", async () => {
  // A ReadWrite's HighEvent handler, dispatched in the I/O
  // phase, may put() again: that write is queued for the next I/O phase.
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].refcount_increment(_[SESSION].ID(), "io");
        poeKernel._deferIO(() => {
          log.push("io phase 1");
          poeKernel._deferIO(() => {
            log.push("io phase 2");
            poeKernel.refcount_decrement(_[SESSION].ID(), "io");
          });
        });
      },
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["io phase 1", "io phase 2", "_stop"]);
});

// ---

const stop = suite("stop");

stop("stop() from a handler stops every session children first, with _stop and _child(lose) only", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("A");
        _[KERNEL].delay("never", 3600);
        Session.create({
          inline_states: {
            _start: (_) => {
              _[KERNEL].alias_set("B");
              _[KERNEL].delay("never", 3600);
            },
            _stop: () => log.push("B _stop"),
            _parent: () => log.push("B _parent"),
            _child: () => log.push("B _child"),
          },
        });
        _[KERNEL].yield("halt");
      },
      halt: (_) => {
        log.push("halt");
        _[KERNEL].stop();
        log.push(`after stop active=${_[KERNEL].get_active_session() === poeKernel ? "kernel" : "session"}`);
        _[KERNEL].yield("more");
      },
      more: () => log.push("more"),
      _stop: () => log.push("A _stop"),
      _child: (_) => log.push(`A _child ${_[ARG0]}`),
    },
  });
  await runKernel();
  assert.equal(log, ["A _child create", "halt", "B _stop", "A _child lose", "A _stop", "after stop active=kernel"]);
});

stop("stop() while a real-time timer is armed clears it and leaves no Node timer behind", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].delay("hour", 3600),
      hour: () => log.push("hour"),
      _stop: () => log.push("_stop"),
    },
  });
  const done = poeKernel.run();
  while (!pendingTimers().includes("Timeout")) await new Promise((resolve) => setImmediate(resolve));
  log.push("timer armed");
  poeKernel.stop();
  await done;
  assertNoLeaks();
  assert.equal(log, ["timer armed", "_stop"]);
});

stop("stop() called outside run() ends the next run() at once", async () => {
  const log: string[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("x"), _stop: () => log.push("_stop") } });
  poeKernel.stop();
  log.push("stopped");
  await runKernel();
  assert.equal(log, ["_stop", "stopped"]);
});

// ---

const slice = suite("run_one_timeslice");

slice("runs one timeslice at a time and returns 1, then undefined once the kernel stopped", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("a"),
      a: (_) => {
        log.push("a");
        _[KERNEL].yield("b");
      },
      b: () => log.push("b"),
      _stop: () => log.push("_stop"),
    },
  });
  for (let i = 0; i < 5; i++) log.push(`slice ${String(poeKernel.run_one_timeslice())}`);
  assert.equal(log, ["a", "slice 1", "b", "_stop", "slice 1", "slice 1", "slice undefined", "slice undefined"]);
  assertNoLeaks();
});

slice("throws the exception nobody handled, then goes on", async () => {
  const log: string[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("a"), a: () => { throw "boom\n"; }, _stop: () => log.push("_stop") } });
  for (let i = 0; i < 4; i++) {
    try {
      log.push(`slice ${String(poeKernel.run_one_timeslice())}`);
    } catch (error) {
      log.push(`threw ${String(error)}`);
    }
  }
  assert.equal(log, ["slice 1", "_stop", "threw boom\n", "slice 1", "slice undefined"]);
  assertNoLeaks();
});

run.run();
stop.run();
slice.run();
