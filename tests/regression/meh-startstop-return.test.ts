// Port by intent of rcaputo/poe t/90_regression/meh-startstop-return.t
//
// The parent's _child gets _start's return value with "create" and
// _stop's with "lose", here for an object_states child.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG2, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

class Fubar {
  createsession(): void {
    Session.create({ object_states: [this, ["_start", "_stop"]] });
  }
  _start(): string {
    return "_start";
  }
  _stop(): string {
    return "_stop";
  }
}

const returns = suite("meh-startstop-return");

returns("_child receives _start's and _stop's return values as ARG2", async () => {
  const results: unknown[] = [];
  Session.create({
    inline_states: {
      _start: () => new Fubar().createsession(),
      _child: (_) => {
        results.push([_[ARG0], _[ARG2]]);
      },
      _stop: () => undefined,
    },
  });
  await runKernel();
  assert.equal(results, [
    ["create", "_start"],
    ["lose", "_stop"],
  ]);
});

returns.run();
