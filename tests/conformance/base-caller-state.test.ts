// Port by intent of rcaputo/poe t/20_resources/00_base/caller_state.pm
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CALLER_STATE, HEAP, KERNEL, SESSION, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

const callerState = suite("caller_state");

callerState("CALLER_STATE follows post, yield, self-call, and a postback and callback fired inside a self-call", async () => {
  const seen: [string, unknown][] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].post(_[SESSION], "check_1");
        _[HEAP].postback = _[SESSION].postback("check_4");
        _[HEAP].callback = _[SESSION].callback("check_5");
      },
      check_1: (_) => {
        seen.push(["check_1", _[CALLER_STATE]]);
        _[KERNEL].yield("check_2");
      },
      check_2: (_) => {
        seen.push(["check_2", _[CALLER_STATE]]);
        _[KERNEL].call(_[SESSION], "check_3");
      },
      check_3: (_) => {
        seen.push(["check_3", _[CALLER_STATE]]);
        const postback = _[HEAP].postback;
        delete _[HEAP].postback;
        postback();
      },
      check_4: (_) => {
        seen.push(["check_4", _[CALLER_STATE]]);
        const callback = _[HEAP].callback;
        delete _[HEAP].callback;
        callback();
      },
      check_5: (_) => seen.push(["check_5", _[CALLER_STATE]]),
      _stop: () => {},
    },
  });
  await runKernel();
  assert.equal(seen, [
    ["check_1", "_start"],
    ["check_2", "check_1"],
    ["check_3", "check_2"],
    ["check_4", "check_2"],
    ["check_5", "check_4"],
  ]);
});

callerState.run();
