// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/k_aliases.pm
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { HEAP, KERNEL, SESSION, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

const aliases = suite("k_aliases");

aliases("aliases resolve every way, list sorted, and an alias-only session sees one IDLE and one ZOMBIE", async () => {
  const checks: unknown[] = [];
  let counts: unknown[] = [];
  let sigidleTest = 1;
  let sigzombieTest = 1;
  let removed: unknown;
  Session.create({
    inline_states: {
      _start: (_) => {
        const [k, session, heap] = [_[KERNEL], _[SESSION], _[HEAP]];
        k.sig("IDLE", "sigidle");
        k.sig("ZOMBIE", "sigzombie");
        heap.idle_count = heap.zombie_count = 0;
        checks.push(k.alias_set("new name"), k.alias_set("new name"));
        checks.push(
          k.alias_resolve(String(session.ID())) === session,
          k.alias_resolve(session.ID()) === session,
          k.alias_resolve("new name") === session,
          k.alias_resolve(session) === session,
          k.alias_resolve("nonexistent"),
        );
        const id = session.ID();
        checks.push(k.ID_id_to_session(id) === session, k.ID_session_to_id(session) === id, k.ID_id_to_session(k.ID()) === k, k.ID_session_to_id(k) === k.ID());
        checks.push(k.alias_list());
        k.alias_set("second name");
        checks.push(k.alias_list(session));
      },
      sigidle: (_) => {
        _[HEAP].idle_count++;
        return _[KERNEL].sig_handled();
      },
      sigzombie: (_) => {
        _[HEAP].zombie_count++;
        return _[KERNEL].sig_handled();
      },
      _stop: (_) => {
        counts = [_[HEAP].idle_count, _[HEAP].zombie_count];
      },
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("a_sample_alias");
        removed = _[KERNEL].alias_remove("a_sample_alias");
        _[KERNEL].sig("IDLE", "sigidle");
        _[KERNEL].sig("ZOMBIE", "sigzombie");
      },
      sigidle: () => {
        sigidleTest = 0;
      },
      sigzombie: () => {
        sigzombieTest = 0;
      },
      _stop: () => {},
    },
  });
  await runKernel();
  assert.equal(checks, [0, 0, true, true, true, true, undefined, true, true, true, true, ["new name"], ["new name", "second name"]]);
  assert.is(removed, 0);
  assert.equal(counts, [1, 1]);
  assert.equal([sigidleTest, sigzombieTest], [1, 1]);
});

aliases.run();
