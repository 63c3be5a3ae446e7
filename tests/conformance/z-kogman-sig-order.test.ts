// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/z_kogman_sig_order.pm
//
// Signal propagation through the session tree: watchers of children run
// before their parents', signal() is delivered after _start returns, a
// watcher without a handler goes to _default, and an unhandled TERM stops
// the tree children first, each parent getting _child after each stop.
// Sessions are logged as P (parent), C (child) and G (grandchild).
// The expected logs are the original's is_deeply lists, which POE 1.370 passes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, KERNEL, SESSION, STATE, Session } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

type Log = string[];

/** The handlers every session of the original has, logging under `tag`. */
function logged(tag: string, log: Log, start: (_: any) => void, defaultArg = ARG0) {
  return {
    _start: (_: any) => {
      log.push(`enter_start ${tag}`);
      start(_);
      log.push(`leave_start ${tag}`);
    },
    _child: () => log.push(`child ${tag}`),
    _stop: () => log.push(`stop ${tag}`),
    _default: (_: any) => log.push(`default ${_[defaultArg]} ${tag}`),
    foo: () => log.push(`foo ${tag}`),
  };
}

// ---

const order = suite("z_kogman_sig_order");

order.after.each(realTime);
order.before.each(() => void virtualClock(1000));

order("simple signal on one session: delivered after _start returns", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged(
      "P",
      log,
      (_) => {
        _[KERNEL].sig("foo", "foo");
        _[KERNEL].signal(_[SESSION], "foo");
      },
      STATE,
    ),
  });
  await runKernel();
  assert.equal(log, ["enter_start P", "leave_start P", "foo P", "stop P"]);
});

order("signal on parent, oblivious child", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged("P", log, (_) => {
      Session.create({ inline_states: logged("C", log, (_) => _[KERNEL].delay("bar", 0.1)) });
      _[KERNEL].sig("foo", "foo");
      _[KERNEL].signal(_[SESSION], "foo");
    }),
  });
  await runKernel();
  assert.equal(log, [
    "enter_start P", "enter_start C", "leave_start C", "child P", "leave_start P",
    "foo P", "default bar C", "stop C", "child P", "stop P",
  ]);
});

order("signal on child, then parent", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged("P", log, (_) => {
      Session.create({
        inline_states: logged("C", log, (_) => {
          _[KERNEL].delay("bar", 0.1);
          _[KERNEL].sig("foo", "foo");
        }),
      });
      _[KERNEL].sig("foo", "foo");
      _[KERNEL].signal(_[SESSION], "foo");
    }),
  });
  await runKernel();
  assert.equal(log, [
    "enter_start P", "enter_start C", "leave_start C", "child P", "leave_start P",
    "foo C", "foo P", "default bar C", "stop C", "child P", "stop P",
  ]);
});

order("TERM watched by a missing handler goes to _default, child then parent, and stops both", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged("P", log, (_) => {
      Session.create({
        inline_states: logged("C", log, (_) => {
          _[KERNEL].delay("bar", 1);
          _[KERNEL].sig("TERM", "TERM");
        }),
      });
      _[KERNEL].sig("TERM", "TERM");
      _[KERNEL].signal(_[SESSION], "TERM");
    }),
  });
  await runKernel();
  assert.equal(log, [
    "enter_start P", "enter_start C", "leave_start C", "child P", "leave_start P",
    "default TERM C", "default TERM P", "stop C", "child P", "stop P",
  ]);
});

order("TERM with no watchers stops child then parent", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged("P", log, (_) => {
      Session.create({ inline_states: logged("C", log, (_) => _[KERNEL].delay("bar", 1)) });
      _[KERNEL].signal(_[SESSION], "TERM");
    }),
  });
  await runKernel();
  assert.equal(log, [
    "enter_start P", "enter_start C", "leave_start C", "child P", "leave_start P",
    "stop C", "child P", "stop P",
  ]);
});

order("TERM watched only by the middle session still stops grandchild, child and parent in that order", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged("P", log, (_) => {
      Session.create({
        inline_states: logged("C", log, (_) => {
          Session.create({ inline_states: logged("G", log, (_) => _[KERNEL].delay("bar", 1)) });
          _[KERNEL].sig("TERM", "TERM");
          _[KERNEL].delay("bar", 1);
        }),
      });
      _[KERNEL].signal(_[SESSION], "TERM");
    }),
  });
  await runKernel();
  assert.equal(log, [
    "enter_start P", "enter_start C", "enter_start G", "leave_start G", "child C", "leave_start C",
    "child P", "leave_start P", "default TERM C", "stop G", "child C", "stop C", "child P", "stop P",
  ]);
});

order("TERM with no watchers in three generations stops grandchild, child and parent in that order", async () => {
  const log: Log = [];
  Session.create({
    inline_states: logged("P", log, (_) => {
      Session.create({
        inline_states: logged("C", log, (_) => {
          Session.create({ inline_states: logged("G", log, (_) => _[KERNEL].delay("bar", 1)) });
          _[KERNEL].delay("bar", 1);
        }),
      });
      _[KERNEL].signal(_[SESSION], "TERM");
    }),
  });
  await runKernel();
  assert.equal(log, [
    "enter_start P", "enter_start C", "enter_start G", "leave_start G", "child C", "leave_start C",
    "child P", "leave_start P", "stop G", "child C", "stop C", "child P", "stop P",
  ]);
});

order.run();
