// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/k_run_returns.pm
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { poeKernel } from "../../kernel/index.js";
import { assertNoLeaks } from "../helpers/kernel-harness.js";

const runReturns = suite("k_run_returns");

runReturns("POE::Kernel->run() returns right away when there are no sessions", async () => {
  let settled = "pending";
  const done = poeKernel.run().then(() => (settled = "resolved"));
  await done;
  assert.is(settled, "resolved");
  assertNoLeaks();
});

runReturns.run();
