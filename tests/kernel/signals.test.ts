import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, ESRCH, KERNEL, SENDER, SESSION, poeKernel, Session } from "../../kernel/index.js";
import { pendingTimers, realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

// Orders below were printed by POE 1.370 running the same programs.

type Log = string[];

/** P -> C -> G, each aliased, each watching FOO and (P, C) TERM. */
function spawnTree(log: Log): void {
  const words = (_: any) => _.slice(ARG0).join(" ");
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.alias_set("P");
        k.sig("FOO", "foo", "w1", "w2");
        k.sig("TERM", "term");
        Session.create({
          inline_states: {
            _start: (_) => {
              _[KERNEL].alias_set("C");
              _[KERNEL].sig("FOO", "foo");
              _[KERNEL].sig("TERM", "term");
              Session.create({
                inline_states: {
                  _start: (_) => {
                    _[KERNEL].alias_set("G");
                    _[KERNEL].sig("FOO", "foo");
                  },
                  foo: (_) => log.push(`G foo ${words(_)}`),
                  _stop: () => log.push("G _stop"),
                  _parent: () => log.push("G _parent"),
                },
              });
            },
            foo: (_) => log.push(`C foo ${words(_)}`),
            term: (_) => {
              log.push(`C term ${words(_)}`);
              return 1;
            },
            _stop: () => log.push("C _stop"),
            _child: (_) => log.push(`C _child ${_[ARG0]} ${_[KERNEL].alias_list(_[ARG1]).join(",")}`),
            _parent: () => log.push("C _parent"),
          },
        });
        log.push(`signal returned ${String(k.signal(_[SESSION], "FOO", "s1", "s2"))}`);
        log.push("P _start end");
      },
      foo: (_) => log.push(`P foo ${words(_)}`),
      term: (_) => log.push(`P term ${words(_)}`),
      _child: (_) => log.push(`P _child ${_[ARG0]} ${_[KERNEL].alias_list(_[ARG1]).join(",")}`),
      _stop: () => log.push("P _stop"),
    },
  });
}

const delivery = suite("signal delivery");
delivery.after.each(realTime);

delivery("delivers asynchronously, deepest descendant first, with signal() args then sig() args", async () => {
  const log: Log = [];
  spawnTree(log);
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("go"),
      go: (_) => _[KERNEL].signal("P", "TERM", "t1"),
      _stop: () => log.push("X _stop"),
    },
  });
  await runKernel();
  assert.equal(log, [
    "C _child create G",
    "P _child create C",
    "signal returned true",
    "P _start end",
    "G foo FOO s1 s2",
    "C foo FOO s1 s2",
    "P foo FOO s1 s2 w1 w2",
    "C term TERM t1",
    "P term TERM t1",
    "G _stop",
    "C _child lose G",
    "C _stop",
    "P _child lose C",
    "P _stop",
    "X _stop",
  ]);
});

delivery("a watcher is called with SENDER = the kernel", async () => {
  let sender: unknown;
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("MOO", "moo");
        _[KERNEL].signal(_[SESSION], "MOO");
      },
      moo: (_) => {
        sender = _[SENDER];
        _[KERNEL].sig("MOO");
      },
    },
  });
  await runKernel();
  assert.is(sender, poeKernel);
});

delivery("a signal to the kernel reaches every session, last created first (steinert signal integrity)", async () => {
  // POE visits sibling sessions in Perl hash order; poe-ts in reverse creation order.
  virtualClock(1000);
  const log: Log = [];
  for (const name of ["one", "two"]) {
    Session.create({
      inline_states: {
        _start: (_) => {
          _[KERNEL].sig("MOO", "moo");
          _[KERNEL].delay("wait", 1);
        },
        moo: (_) => log.push(`${name} ${_[ARG0]} ${_[ARG1]}`),
        wait: () => {},
      },
    });
  }
  poeKernel.signal(poeKernel, "MOO", 99);
  await runKernel();
  assert.equal(log, ["two MOO 99", "one MOO 99"]);
});

delivery("a missing handler for a watcher's event goes to _default", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("USR2", "no_such_handler", "extra");
        _[KERNEL].signal(_[SESSION], "USR2", "arg");
      },
      _default: (_) => {
        if (_[ARG0] === "no_such_handler") log.push(_[ARG1]);
      },
    },
  });
  await runKernel();
  assert.equal(log, [["USR2", "arg", "extra"]]);
});

delivery("re-registering a signal replaces the watcher; sig(name) without event removes it", async () => {
  const log: Log = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("FOO", "first");
        _[KERNEL].sig("FOO", "second");
        _[KERNEL].signal(_[SESSION], "FOO");
        _[KERNEL].yield("unwatch");
      },
      unwatch: (_) => {
        _[KERNEL].sig("FOO");
        _[KERNEL].signal(_[SESSION], "FOO");
      },
      first: () => log.push("first"),
      second: () => log.push("second"),
    },
  });
  await runKernel();
  assert.equal(log, ["second"]);
});

delivery("signal to an unknown session returns false with errno ESRCH", async () => {
  poeKernel.errno = 0;
  const r = poeKernel.signal("no-such-session", "FOO");
  assert.equal([r, poeKernel.errno], [false, ESRCH]);
  await runKernel();
});

// ---

const terminal = suite("terminal and benign signals");

terminal("an unhandled TERM stops the touched sessions even if watchers return true", async () => {
  const log: Log = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("stay");
        _[KERNEL].sig("TERM", "term");
        _[KERNEL].signal(_[SESSION], "TERM");
      },
      term: () => {
        log.push("term");
        return true;
      },
      _stop: () => log.push("_stop"),
    },
  });
  Session.create({ inline_states: { _start: (_) => _[KERNEL].delay("keep", 0), keep: () => log.push("bystander ran") } });
  await runKernel();
  assert.equal(log, ["term", "_stop", "bystander ran"]);
});

terminal("sig_handled() in one touched session saves all of them", async () => {
  const log: Log = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("INT", "int");
        _[KERNEL].alias_set("parent");
        Session.create({
          inline_states: {
            _start: (_) => {
              _[KERNEL].alias_set("child");
              _[KERNEL].sig("INT", "int");
            },
            int: (_) => {
              log.push("child int");
              _[KERNEL].sig("INT");
              _[KERNEL].alias_remove("child");
            },
            _stop: () => log.push("child _stop"),
          },
        });
        _[KERNEL].signal(_[SESSION], "INT");
      },
      int: (_) => {
        log.push("parent int");
        _[KERNEL].sig_handled();
        _[KERNEL].sig("INT");
        _[KERNEL].alias_remove("parent");
      },
      _child: () => {},
      _stop: () => log.push("parent _stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["child int", "parent int", "child _stop", "parent _stop"]);
});

terminal("a benign signal never stops anyone, handled or not", async () => {
  const log: Log = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("USR1", "usr1");
        _[KERNEL].signal(_[SESSION], "USR1");
        _[KERNEL].signal(_[SESSION], "MADE_UP");
        _[KERNEL].yield("after");
      },
      usr1: () => log.push("usr1"),
      after: () => log.push("after"),
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["usr1", "after", "_stop"]);
});

terminal("ZOMBIE is nonmaskable: a handled ZOMBIE still stops the session", async () => {
  const log: Log = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("z");
        _[KERNEL].sig("ZOMBIE", "zombie");
        _[KERNEL].signal(_[SESSION], "ZOMBIE");
      },
      zombie: (_) => {
        log.push("zombie");
        _[KERNEL].sig_handled();
      },
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["zombie", "_stop"]);
});

// ---

const os = suite("OS signals");

os("a watched OS signal arrives as a signal to the kernel, and the process listener goes with the watcher", async () => {
  const log: Log = [];
  const before = process.listenerCount("SIGUSR2");
  let during = -1;
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("USR2", "usr2");
        during = process.listenerCount("SIGUSR2");
        process.kill(process.pid, "SIGUSR2");
        _[KERNEL].refcount_increment(_[SESSION].ID(), "waiting");
      },
      usr2: (_) => {
        log.push(`usr2 ${_[ARG0]} sender=${_[SENDER] === poeKernel ? "kernel" : "?"}`);
        _[KERNEL].sig_handled();
        _[KERNEL].sig("USR2");
        _[KERNEL].refcount_decrement(_[SESSION].ID(), "waiting");
      },
    },
  });
  await runKernel();
  assert.equal(log, ["usr2 USR2 sender=kernel"]);
  assert.equal([before, during, process.listenerCount("SIGUSR2")], [before, before + 1, before]);
  assert.equal(pendingTimers(), []);
});

delivery.run();
terminal.run();
os.run();
