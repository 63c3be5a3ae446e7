import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, ARG2, CALLER_STATE, ESRCH, KERNEL, SENDER, SESSION, poeKernel, Session, type Actor } from "../../kernel/index.js";
import { realTime, runKernel, runKernelRejects, virtualClock } from "../helpers/kernel-harness.js";

// Orders below were printed by POE 1.370 running the same programs.

/** The first alias of a session, "kernel", or "#id". */
function nameOf(s: Actor): string {
  if (s === poeKernel) return "kernel";
  return poeKernel.alias_list(s)[0] ?? `#${String(s.ID())}`;
}

/** An aliased session that logs its lifecycle events and spawns `kids`. */
type Spec = [name: string, kids: Spec[], extra?: (_: any) => void];
function spawn(log: string[], [name, kids, extra]: Spec): void {
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set(name);
        log.push(`${name} _start`);
        for (const kid of kids) spawn(log, kid);
        extra?.(_);
        return `${name}-start`;
      },
      _stop: () => {
        log.push(`${name} _stop`);
        return `${name}-stop`;
      },
      _child: (_) => log.push(`${name} _child ${_[ARG0]} ${nameOf(_[ARG1])} ${String(_[ARG2])}`),
      _parent: (_) => log.push(`${name} _parent ${nameOf(_[ARG0])} ${nameOf(_[ARG1])}`),
      boom: () => {
        throw "boom\n";
      },
    },
  });
}

const start = suite("session start");

start("nests _start and _child(create) as POE does, passing _start's return value", async () => {
  const log: string[] = [];
  spawn(log, ["R", [["P", [["C", []], ["D", []]]]]]);
  await runKernel();
  assert.equal(log, [
    "R _start",
    "P _start",
    "C _start",
    "P _child create C C-start",
    "D _start",
    "P _child create D D-start",
    "R _child create P P-start",
    "D _stop",
    "P _child lose D D-stop",
    "C _stop",
    "P _child lose C C-stop",
    "P _stop",
    "R _child lose P P-stop",
    "R _stop",
  ]);
});

start("_start's SENDER is the parent and its args are create()'s args", async () => {
  const seen: unknown[] = [];
  const parent = Session.create({
    inline_states: {
      _start: () => {
        Session.create({ inline_states: { _start: (_) => seen.push(_[SENDER], _.slice(ARG0)) }, args: [1, [2]] });
      },
      _child: () => {},
    },
  });
  Session.create({ inline_states: { _start: (_) => seen.push(_[SENDER], _.slice(ARG0)) }, args: "single" });
  await runKernel();
  assert.equal(seen, [parent, [1, [2]], poeKernel, ["single"]]);
});

start("_start has no CALLER_STATE, even for a session created inside another handler", async () => {
  const seen: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].yield("spawn"),
      spawn: () => {
        Session.create({ inline_states: { _start: (_) => seen.push(_[CALLER_STATE], _[KERNEL].get_active_event()) } });
      },
      _child: () => {},
    },
  });
  await runKernel();
  assert.equal(seen, [undefined, "_start"]);
});

start("sessions get IDs counting up, never reused while running", async () => {
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) ids.push((Session.create({ inline_states: { _start: () => {} } }) as Session).ID());
  await runKernel();
  assert.equal([ids[1]! - ids[0]!, ids[2]! - ids[1]!], [1, 1]);
});

// ---

const gc = suite("garbage collection");
gc.after.each(realTime);

gc("a session with nothing to do stops after the first due phase, so its creator can still post to it", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const idle = Session.create({ inline_states: { _start: () => log.push("child _start"), hello: () => log.push("child hello"), _stop: () => log.push("child _stop") } });
        _[KERNEL].post(idle, "hello");
      },
      _child: (_) => log.push(`_child ${_[ARG0]}`),
      _stop: () => log.push("parent _stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["child _start", "_child create", "child hello", "child _stop", "_child lose", "parent _stop"]);
});

gc("an event in flight keeps its sender alive until delivered", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("receiver"),
      got: (_) => {
        log.push("receiver got");
        _[KERNEL].alias_remove("receiver");
      },
      _stop: () => log.push("receiver _stop"),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].post("receiver", "got"),
      _stop: () => log.push("sender _stop"),
    },
  });
  await runKernel();
  assert.equal(log, ["receiver got", "sender _stop", "receiver _stop"]);
});

gc("refcount_increment and refcount_decrement count per tag and return the new count", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const [k, id] = [_[KERNEL], _[SESSION].ID()];
        log.push(["inc", k.refcount_increment(id, "a"), k.refcount_increment(id, "a"), k.refcount_increment(id, "b")]);
        log.push(["dec", k.refcount_decrement(id, "a"), k.refcount_decrement(id, "a")]);
        k.errno = 0;
        log.push(["inc unknown session", k.refcount_increment(9_999_999, "a"), k.errno]);
        k.errno = 0;
        log.push(["dec unknown session", k.refcount_decrement(9_999_999, "a"), k.errno]);
        k.yield("later");
      },
      later: (_) => {
        log.push("later");
        _[KERNEL].refcount_decrement(_[SESSION].ID(), "b");
        log.push("after dec b");
      },
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, [
    ["inc", 1, 2, 1],
    ["dec", 1, 0],
    ["inc unknown session", undefined, ESRCH],
    ["dec unknown session", undefined, ESRCH],
    "later",
    "after dec b",
    "_stop",
  ]);
});

gc("an extra reference keeps a session alive and the kernel busy until released", async () => {
  const clock = virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].refcount_increment(_[SESSION].ID(), "held");
        _[KERNEL].sig("IDLE", "idle");
        Session.create({
          inline_states: {
            _start: (_) => _[KERNEL].delay("release", 10),
            release: (_) => {
              log.push(["release", clock.now()]);
              _[KERNEL].refcount_decrement(_[SESSION].ID() - 1, "held");
            },
          },
        });
      },
      _child: () => {},
      idle: () => log.push("IDLE"),
      _stop: () => log.push(["_stop", clock.now()]),
    },
  });
  await runKernel();
  assert.equal(log, [["release", 1010], ["_stop", 1010]]);
});

gc("a session holding only aliases gets IDLE, then ZOMBIE, then _stop", async () => {
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("lonely");
        _[KERNEL].sig("IDLE", "sig");
        _[KERNEL].sig("ZOMBIE", "sig");
      },
      sig: (_) => {
        log.push(_.slice(ARG0));
        _[KERNEL].sig_handled();
      },
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  assert.equal(log, [["IDLE"], ["ZOMBIE"], "_stop"]);
});

gc("a session with nothing to do is reaped before IDLE is sent, so it never sees IDLE", async () => {
  const log: string[] = [];
  Session.create({ inline_states: { _start: (_) => { _[KERNEL].alias_set("stays"); _[KERNEL].sig("IDLE", "idle"); }, idle: () => log.push("stays IDLE"), _stop: () => log.push("stays _stop") } });
  Session.create({ inline_states: { _start: (_) => _[KERNEL].sig("IDLE", "idle"), idle: () => log.push("idle-only IDLE"), _stop: () => log.push("idle-only _stop") } });
  await runKernel();
  assert.equal(log, ["idle-only _stop", "stays IDLE", "stays _stop"]);
});

gc("an IDLE handler that starts new work keeps everyone running", async () => {
  const clock = virtualClock(1000);
  const log: unknown[] = [];
  let idles = 0;
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("worker");
        _[KERNEL].sig("IDLE", "idle");
      },
      idle: (_) => {
        log.push(["IDLE", clock.now()]);
        _[KERNEL].sig_handled();
        if (++idles < 3) _[KERNEL].delay("work", 5);
        else _[KERNEL].alias_remove("worker");
      },
      work: () => log.push(["work", clock.now()]),
      _stop: () => log.push(["_stop", clock.now()]),
    },
  });
  await runKernel();
  assert.equal(log, [["IDLE", 1000], ["work", 1005], ["IDLE", 1005], ["work", 1010], ["IDLE", 1010], ["_stop", 1010]]);
});

gc("a _stop that releases another session's extra reference stops it in the same sweep", async () => {
  const log: string[] = [];
  const held = (Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].refcount_increment(_[SESSION].ID(), "hold"),
      _stop: () => log.push("held _stop"),
    },
  }) as Session).ID();
  Session.create({
    inline_states: {
      _start: () => {},
      _stop: (_) => {
        log.push("releaser _stop");
        _[KERNEL].refcount_decrement(held, "hold");
      },
    },
  });
  await runKernel();
  assert.equal(log, ["releaser _stop", "held _stop"]);
});

// ---

const stopping = suite("session stop");

stopping("a stopping parent hands its children to its own parent with _child(gain) and _parent", async () => {
  const log: string[] = [];
  spawn(log, ["R", [["P", [["C", [], (_) => _[KERNEL].yield("boom")], ["D", []]]]]]);
  const error = await runKernelRejects();
  assert.is(error, "boom\n");
  assert.equal(log, [
    "R _start",
    "P _start",
    "C _start",
    "P _child create C C-start",
    "D _start",
    "P _child create D D-start",
    "R _child create P P-start",
    "C _stop",
    "P _child lose C C-stop",
    "R _child gain D undefined",
    "D _parent P R",
    "P _stop",
    "R _child lose P P-stop",
    "D _parent R kernel",
    "R _stop",
    "D _stop",
  ]);
});

stopping("_stop is called with SENDER = the kernel during a sweep and with the session still intact", async () => {
  const seen: unknown[] = [];
  Session.create({
    heap: { mark: "kept" },
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("still-here"),
      _stop: (_) => {
        seen.push(_[SENDER] === poeKernel, _[KERNEL].get_active_session() === _[SESSION], _.heap.mark, _[KERNEL].alias_list());
      },
    },
  });
  await runKernel();
  assert.equal(seen, [true, true, "kept", ["still-here"]]);
});

// ---

const detach = suite("detach_myself and detach_child");

detach("detach_myself during _start skips the parent's _child events", async () => {
  const log: string[] = [];
  spawn(log, ["P", [["C", [], (_) => log.push(`detach ${String(_[KERNEL].detach_myself())}`)]]]);
  await runKernel();
  assert.equal(log, ["P _start", "C _start", "C _parent P kernel", "detach 1", "C _stop", "P _stop"]);
});

detach("detach_myself of a top-level session and detach_child of a stranger fail with EPERM", async () => {
  const seen: unknown[] = [];
  Session.create({ inline_states: { _start: (_) => _[KERNEL].alias_set("stranger") } });
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.errno = 0;
        seen.push(k.detach_myself(), k.errno);
        k.errno = 0;
        seen.push(k.detach_child("stranger"), k.errno);
        k.errno = 0;
        seen.push(k.detach_child("nobody"), k.errno);
      },
    },
  });
  await runKernel();
  assert.equal(seen, [undefined, 1, undefined, 1, undefined, ESRCH]);
});

start.run();
gc.run();
stopping.run();
detach.run();
