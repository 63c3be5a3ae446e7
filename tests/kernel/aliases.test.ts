import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EEXIST, EPERM, ESRCH, KERNEL, SESSION, poeKernel, Session } from "../../kernel/index.js";
import { runKernel } from "../helpers/kernel-harness.js";

// Return values below were printed by POE 1.370 running the same calls.

const set = suite("alias_set and alias_remove");

set("alias_set returns 0, also for an alias the session already has; EEXIST for another's", async () => {
  const r: unknown[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("taken"), _stop: () => {} } });
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        r.push(k.alias_set("mine"), k.alias_set("mine"), k.alias_set("taken"), k.alias_list());
      },
    },
  });
  await runKernel();
  assert.equal(r, [0, 0, EEXIST, ["mine"]]);
});

set("alias_remove returns 0, ESRCH for an unknown alias, EPERM for another session's", async () => {
  const r: unknown[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("theirs") } });
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.alias_set("mine");
        r.push(k.alias_remove("mine"), k.alias_remove("mine"), k.alias_remove("never-set"), k.alias_remove("theirs"), k.alias_list());
      },
    },
  });
  await runKernel();
  assert.equal(r, [0, ESRCH, ESRCH, EPERM, []]);
});

set("an alias keeps a session alive until removed; removing the last one lets it stop", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("held");
        _[KERNEL].yield("drop");
      },
      drop: (_) => {
        log.push("drop");
        _[KERNEL].alias_remove("held");
      },
      _stop: () => log.push("_stop"),
    },
  });
  Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("a"), a: (_) => { log.push("a"); _[KERNEL].yield("b"); }, b: () => log.push("b") } });
  await runKernel();
  assert.equal(log, ["drop", "a", "_stop", "b"]);
});

set("a stopped session's aliases are freed and can be taken again", async () => {
  const r: unknown[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("reused") } });
  await runKernel();
  Session.create({ inline_states: { _start: (_) => { r.push(_[KERNEL].alias_set("reused"), _[KERNEL].alias_resolve("reused") === _[SESSION]); } } });
  await runKernel();
  assert.equal(r, [0, true]);
});

// ---

const resolve = suite("alias_resolve, alias_list and IDs");

resolve("alias_resolve accepts a session, its ID, its ID as a string, its alias and the kernel's ID", async () => {
  const r: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const [k, s] = [_[KERNEL], _[SESSION]];
        k.alias_set("new name");
        r.push(
          k.alias_resolve(s) === s,
          k.alias_resolve(s.ID()) === s,
          k.alias_resolve(String(s.ID())) === s,
          k.alias_resolve("new name") === s,
          k.alias_resolve(k.ID()) === k,
          k.alias_resolve("nonexistent"),
        );
      },
    },
  });
  await runKernel();
  assert.equal(r, [true, true, true, true, true, undefined]);
});

resolve("alias_list is sorted, defaults to the active session, and is empty with ESRCH for an unknown one", async () => {
  const r: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.alias_set("zeta");
        k.alias_set("alpha");
        k.alias_set("mid");
        r.push(k.alias_list(), k.alias_list(_[SESSION]));
        k.errno = 0;
        r.push(k.alias_list("no-such-session"), k.errno);
      },
    },
  });
  await runKernel();
  assert.equal(r, [["alpha", "mid", "zeta"], ["alpha", "mid", "zeta"], [], ESRCH]);
});

resolve("ID_id_to_session and ID_session_to_id map both ways, the kernel included", async () => {
  const r: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const [k, s] = [_[KERNEL], _[SESSION]];
        r.push(k.ID_id_to_session(s.ID()) === s, k.ID_session_to_id(s) === s.ID(), k.ID_id_to_session(k.ID()) === k, k.ID_session_to_id(k) === k.ID());
        k.errno = 0;
        r.push(k.ID_id_to_session(9_999_999), k.errno);
        k.errno = 0;
        r.push(k.ID_session_to_id(9_999_999), k.errno);
      },
    },
  });
  await runKernel();
  assert.equal(r, [true, true, true, true, undefined, ESRCH, undefined, ESRCH]);
});

resolve("the kernel's ID is a string of hostname, time, pid and sequence", () => {
  assert.match(poeKernel.ID(), new RegExp(`-[0-9a-f]{8}-${process.pid.toString(16).padStart(8, "0")}-[0-9a-f]{8}$`));
});

set.run();
resolve.run();
