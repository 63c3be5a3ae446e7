// Port by intent of rcaputo/poe t/20_resources/00_base/extrefs_gc.pm
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { KERNEL, SESSION, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

const extrefsGc = suite("extrefs_gc");

extrefsGc("a _stop that releases another session's extra reference stops it before SIGIDLE", async () => {
  const log: string[] = [];
  let sigidle = 0;
  const bystanderId = (Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].refcount_increment(_[SESSION].ID(), "just hold me"),
      _stop: () => log.push(`bystander stopped, sigidle=${sigidle}`),
    },
  }) as Session).ID();
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("IDLE", "got_sigidle");
        _[KERNEL].alias_set("stayin_alive");
      },
      got_sigidle: () => {
        sigidle += 1;
        log.push("got sigidle");
      },
      _stop: () => log.push("sigidle session is allowed to stop"),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].refcount_increment(_[SESSION].ID(), "just hold me");
        _[KERNEL].refcount_decrement(_[SESSION].ID(), "just hold me");
        _[KERNEL].yield("do_something");
      },
      do_something: () => log.push("refcount session is allowed to run"),
      _stop: (_) => {
        log.push("refcount session is allowed to stop");
        _[KERNEL].refcount_decrement(bystanderId, "just hold me");
      },
    },
  });
  await runKernel();
  assert.equal(log, [
    "refcount session is allowed to run",
    "refcount session is allowed to stop",
    "bystander stopped, sigidle=0",
    "got sigidle",
    "sigidle session is allowed to stop",
  ]);
});

extrefsGc.run();
