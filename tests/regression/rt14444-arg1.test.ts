// Port by intent of rcaputo/poe t/90_regression/rt14444-arg1.t
//
// _default gets the original event's arguments as one array in ARG1, which
// survives being passed on by reference and by copy.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, KERNEL, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

const TEST_STATE = "some_random_state";
const TEST_ARGS = ["some", "random", "args"];

const arg1 = suite("rt14444-arg1");

arg1("_default's ARG1 holds the original args, and they survive being passed by reference and by copy", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].yield(TEST_STATE, ...TEST_ARGS);
      },
      _default: (_) => {
        log.push(["_default", _[ARG0], _[ARG1]]);
        _[KERNEL].yield("check_ref", _[ARG1]);
        _[KERNEL].yield("check_copy", [..._[ARG1]]);
      },
      check_ref: (_) => log.push(["check_ref", _[ARG0]]),
      check_copy: (_) => log.push(["check_copy", _[ARG0]]),
    },
  });
  await runKernel();
  // POE 1.370 logs the same four. As there, _stop has no handler and goes to _default too (with no args);
  // its own check_ref/check_copy are dropped because the session is stopping.
  assert.equal(log, [
    ["_default", TEST_STATE, TEST_ARGS],
    ["check_ref", TEST_ARGS],
    ["check_copy", TEST_ARGS],
    ["_default", "_stop", []],
  ]);
});

arg1.run();
