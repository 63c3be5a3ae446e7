// Port by intent of rcaputo/poe t/90_regression/averell-callback-ret.t
//
// A callback returns what its handler returns, as documented.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { HEAP, KERNEL, SESSION, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

const callback = suite("averell-callback-ret");

callback("a callback returns its handler's value, even after its heap slot was deleted", async () => {
  const returned: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].callback = _[SESSION].callback("callback_event");
        _[KERNEL].yield("try_callback");
      },
      try_callback: (_) => {
        // Perl: my $callback = delete $_[HEAP]->{callback}; poe-ts releases
        // the callback's hold on the session here, but it still calls.
        const cb = _[HEAP].callback;
        delete _[HEAP].callback;
        returned.push(cb());
      },
      callback_event: () => 42,
      _stop: () => {},
    },
  });
  await runKernel();
  assert.equal(returned, [42]);
});

callback.run();
