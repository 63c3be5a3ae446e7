// Port by intent of rcaputo/poe t/20_resources/00_base/aliases.pm
//
// The original drives POE::Resource::Aliases' internal API
// (_data_alias_add, _data_ses_refcount, _data_alias_loggable, …) on the
// kernel session. Those are not public in poe-ts; here the same facts are
// checked through the public API: an alias holds its session (the
// refcount's +1 per alias shows as GC behaviour), alias_list, the loggable
// form `session N (a, b)` in the `default` option's warning, clearing on
// stop, unknown names, and a finalize without leak warnings.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ESRCH, KERNEL, SESSION, Session, poeKernel } from "../../kernel/index.js";
import { captureWarnings, realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

const NAMES = ["alias-1", "alias-2", "alias-3"];

// ---

const aliases = suite("aliases");

aliases.after.each(realTime);

aliases("each alias holds its session; it stops right after the last is removed, which clears it", async () => {
  virtualClock(1000);
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        log.push(`set ${["alias-2", "alias-1", "alias-3"].map((name) => k.alias_set(name)).join(",")}`);
        log.push(`list ${k.alias_list().join(",")}`);
        k.sig("IDLE", "idle");
      },
      remove: (_) => log.push(`remove ${_[ARG0]} ${_[KERNEL].alias_remove(_[ARG0])}`),
      idle: () => log.push("A idle"),
      _stop: () => log.push("A _stop"),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].delay("tick", 1, 0);
      },
      tick: (_) => {
        const [k, n] = [_[KERNEL], _[ARG0] as number];
        log.push(`tick ${n} resolves=${k.alias_resolve("alias-3") !== undefined ? 1 : 0}`);
        if (n < 3) {
          k.post("alias-3", "remove", NAMES[n]);
          k.delay("tick", 1, n + 1);
        } else {
          k.errno = 0;
          log.push(`after list=${k.alias_list("alias-3").length} errno=${k.errno}`);
        }
      },
      _stop: () => log.push("B _stop"),
    },
  });
  await runKernel();
  // POE 1.370 logs the same lines; A never sees IDLE.
  assert.equal(log, [
    "set 0,0,0",
    "list alias-1,alias-2,alias-3",
    "tick 0 resolves=1",
    "remove alias-1 0",
    "tick 1 resolves=1",
    "remove alias-2 0",
    "tick 2 resolves=1",
    "remove alias-3 0",
    "A _stop",
    "tick 3 resolves=0",
    `after list=0 errno=${ESRCH}`,
    "B _stop",
  ]);
});

aliases("the loggable form lists a session's aliases sorted, as the default option's warning shows", async () => {
  let id = 0;
  const [, warnings] = await captureWarnings(async () => {
    Session.create({
      options: { default: 1 },
      inline_states: {
        _start: (_) => {
          id = _[SESSION].ID();
          for (const name of ["alias-2", "alias-1", "alias-3"]) _[KERNEL].alias_set(name);
          _[KERNEL].yield("nobody");
        },
        nobody_else: () => {},
        _stop: (_) => {
          for (const name of NAMES) _[KERNEL].alias_remove(name);
        },
      },
    });
    await runKernel();
  });
  // POE 1.370: "=== <pid> === a 'nobody' event was sent from <file> at <line> to
  // session 1 (alias-1, alias-2, alias-3) but session 1 (alias-1, alias-2, alias-3) has ..."
  const who = `session ${id} \\(alias-1, alias-2, alias-3\\)`;
  assert.is(warnings.length, 1);
  assert.match(
    warnings[0] as string,
    new RegExp(`^(?:=== \\d+ === )?a 'nobody' event was sent from .+ at .+ to ${who} but ${who} has neither a handler for it nor one for _default$`),
  );
});

aliases("unknown aliases resolve to nothing and list nothing", () => {
  poeKernel.errno = 0;
  const list = poeKernel.alias_list("nothing");
  assert.equal([poeKernel.alias_resolve("nothing"), list, poeKernel.errno], [undefined, [], ESRCH]);
});

aliases("an alias set on the kernel itself is freed with the kernel, without a leak warning", async () => {
  const results: unknown[] = [];
  const [, warnings] = await captureWarnings(async () => {
    results.push(poeKernel.alias_set("alias-1"), poeKernel.alias_resolve("alias-1") === poeKernel, poeKernel.alias_list());
    Session.create({ inline_states: { _start: () => {} } });
    await runKernel();
  });
  results.push(poeKernel.alias_resolve("alias-1"));
  // POE 1.370: the same, and _data_alias_finalize warns about nothing.
  assert.equal(results, [0, true, ["alias-1"], undefined]);
  assert.equal(warnings, []);
});

aliases.run();
