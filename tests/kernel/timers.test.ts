import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, EINVAL, EPERM, ESRCH, KERNEL, SESSION, STATE, poeKernel, Session } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

// Return values and orders below were printed by POE 1.370 running the same calls.

const firing = suite("timers firing");
firing.after.each(realTime);

firing("delay fires after its delay, in virtual time, with its arguments", async () => {
  const clock = virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].delay("tick", 5, "a", "b"),
      tick: (_) => log.push([_[STATE], clock.now(), _.slice(ARG0)]),
      _stop: () => log.push(["_stop", clock.now()]),
    },
  });
  await runKernel();
  assert.equal(log, [["tick", 1005, ["a", "b"]], ["_stop", 1005]]);
});

firing("orders timers by due time, and equal due times by creation", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alarm_add("t", 1002, "second-at-1002");
        _[KERNEL].alarm_add("t", 1002, "third-at-1002");
        _[KERNEL].alarm_add("t", 1001, "first");
        _[KERNEL].delay_set("t", 3, "last");
        _[KERNEL].delay_add("t", 2, "fourth-at-1002");
      },
      t: (_) => log.push(_[ARG0]),
    },
  });
  await runKernel();
  assert.equal(log, ["first", "second-at-1002", "third-at-1002", "fourth-at-1002", "last"]);
});

firing("alarm and delay replace same-name timers; alarm_add and delay_add don't", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.alarm("two", 1001, 2.1);
        k.alarm("two", 1001, 2.2);
        k.alarm("four", 1001, 4.1);
        k.alarm_add("four", 1001, 4.2);
        k.alarm("four", 1001, 4.3);
        k.alarm_add("four", 1001, 4.4);
        k.alarm("five", 1001, 5.1);
        k.alarm("five");
        k.delay("seven", 1, 7.1);
        k.delay("seven", 1, 7.2);
        k.delay_add("eight", 1, 8.1);
        k.delay_add("eight", 1, 8.2);
        k.delay("ten", 1, 10.1);
        k.alarm("ten");
        k.delay_set("mixed", 1, "set");
        k.delay("mixed", 2, "delay");
      },
      two: (_) => log.push(_[ARG0]),
      four: (_) => log.push(_[ARG0]),
      five: (_) => log.push(_[ARG0]),
      seven: (_) => log.push(_[ARG0]),
      eight: (_) => log.push(_[ARG0]),
      ten: (_) => log.push(_[ARG0]),
      mixed: (_) => log.push(_[ARG0]),
    },
  });
  await runKernel();
  assert.equal(log, [2.2, 4.3, 4.4, 7.2, 8.1, 8.2, "delay"]);
});

firing("clearing by name leaves posted events of that name alone", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].yield("same", "posted");
        _[KERNEL].delay("same", 1, "timer");
        _[KERNEL].delay("same");
      },
      same: (_) => log.push(_[ARG0]),
    },
  });
  await runKernel();
  assert.equal(log, ["posted"]);
});

firing("a pending timer keeps its session alive until it fires", async () => {
  const clock = virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].delay("later", 3600),
      later: () => log.push(["later", clock.now()]),
      _stop: () => log.push(["_stop", clock.now()]),
    },
  });
  await runKernel();
  assert.equal(log, [["later", 4600], ["_stop", 4600]]);
});

firing("_default receives a timer without a handler (and _stop too)", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alarm_set("nohandler", 1001, 13),
      _default: (_) => log.push([_[STATE], _[ARG0], _[ARG0 + 1]]),
    },
  });
  await runKernel();
  assert.equal(log, [["_default", "nohandler", [13]], ["_default", "_stop", []]]);
});

// ---

const ids = suite("timer IDs and removal");
ids.after.each(realTime);

ids("timer IDs are queue IDs, shared with posted events", async () => {
  virtualClock(1000);
  let gap = 0;
  Session.create({
    inline_states: {
      _start: (_) => {
        const a = _[KERNEL].alarm_set("a", 1001) as number;
        _[KERNEL].yield("p");
        _[KERNEL].yield("p");
        const b = _[KERNEL].delay_set("b", 1) as number;
        gap = b - a;
        _[KERNEL].alarm_remove_all();
      },
    },
  });
  await runKernel();
  assert.is(gap, 3);
});

ids("alarm_remove returns [name, due time, args] and the timer never fires", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const id = _[KERNEL].alarm_set("r", 1001, "a1", "a2");
        log.push(_[KERNEL].alarm_remove(id));
        const id2 = _[KERNEL].delay_set("r", 0.5, 15);
        log.push(_[KERNEL].alarm_remove(id2));
      },
      r: () => log.push("fired"),
    },
  });
  await runKernel();
  assert.equal(log, [["r", 1001, ["a1", "a2"]], ["r", 1000.5, [15]]]);
});

ids("alarm_remove_all flattens args and reports 0 as the due time of delay timers", async () => {
  virtualClock(1000);
  let all: unknown[][] = [];
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        k.alarm_set("a", 1000, "x");
        k.delay_set("b", 5, "y");
        k.delay("d", 3, 1, 2);
        k.delay_add("d", 4, 3);
        k.alarm("e", 1007, "z");
        k.alarm_add("e", 1008);
        k.yield("e");
        all = k.alarm_remove_all();
      },
      e: (_) => log.push(`e ${String(_[ARG0])}`),
      a: () => log.push("a"),
      b: () => log.push("b"),
      d: () => log.push("d"),
    },
  });
  await runKernel();
  assert.equal(all, [
    ["a", 1000, "x"],
    ["d", 0, 1, 2],
    ["d", 0, 3],
    ["b", 1005, "y"],
    ["e", 1007, "z"],
    ["e", 1008],
  ]);
  assert.equal(log, ["e undefined"]);
});

ids("alarm_remove_all with no timers returns an empty list", async () => {
  let all: unknown = undefined;
  Session.create({ inline_states: { _start: (_) => { all = _[KERNEL].alarm_remove_all(); } } });
  await runKernel();
  assert.equal(all, []);
});

// ---

const adjust = suite("alarm_adjust and delay_adjust");
adjust.after.each(realTime);

adjust("alarm_adjust moves a timer by a delta and returns its new due time", async () => {
  virtualClock(1000);
  const results: unknown[] = [];
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        const id18 = k.alarm_set("t", 50, 18);
        results.push(k.alarm_adjust(id18, -1), k.alarm_adjust(id18, 1));
        const id19 = k.alarm_set("t", 52, 19);
        results.push(k.alarm_adjust(id19, -4), k.alarm_adjust(id19, 4));
        const id20 = k.alarm_set("t", 49, 20);
        results.push(k.alarm_adjust(id20, 2), k.alarm_adjust(id20, 2), k.alarm_adjust(id20, -2));
        const id21 = k.alarm_set("t", 50, 21);
        results.push(k.alarm_adjust(id21, -10), k.alarm_adjust(id21, 20), k.alarm_adjust(id21, -100));
        const id22 = k.alarm_set("t", 50, 22);
        results.push(k.alarm_adjust(id22, 100));
      },
      t: (_) => log.push(_[ARG0]),
    },
  });
  await runKernel();
  assert.equal(results, [49, 50, 48, 52, 51, 53, 51, 40, 60, -40, 150]);
  assert.equal(log, [21, 18, 20, 19, 22]);
});

adjust("delay_adjust reschedules to now plus seconds; both adjust any kind of timer", async () => {
  const clock = virtualClock(1000);
  const results: unknown[] = [];
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        const a = k.delay_set("fire", 10, "delay_set+adjusted");
        const b = k.alarm_set("fire", 1010, "alarm_set+delay_adjusted");
        results.push(k.alarm_adjust(a, -9), k.delay_adjust(b, 2));
      },
      fire: (_) => log.push([_[ARG0], clock.now()]),
    },
  });
  await runKernel();
  assert.equal(results, [1001, 1002]);
  assert.equal(log, [["delay_set+adjusted", 1001], ["alarm_set+delay_adjusted", 1002]]);
});

// ---

const errors = suite("timer errors");
errors.after.each(realTime);

errors("undefined names and times give EINVAL as POE does", async () => {
  virtualClock(1000);
  const r: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        const errnoOf = (fn: () => unknown) => {
          k.errno = 0;
          const value = fn();
          return [value, k.errno];
        };
        r.push(k.alarm(undefined as any), k.alarm("x"), k.alarm_add("x", undefined as any), k.alarm_add(undefined as any, 5));
        r.push(k.delay(undefined as any, 5), k.delay("x"), k.delay_add("x", undefined as any));
        r.push(errnoOf(() => k.alarm_set("x", undefined as any)));
        r.push(errnoOf(() => k.alarm_set(undefined as any, 1)));
        r.push(errnoOf(() => k.delay_set("x", undefined as any)));
        r.push(errnoOf(() => k.alarm_remove(undefined as any)));
        r.push(errnoOf(() => k.alarm_adjust(undefined as any, 1)));
        r.push(errnoOf(() => k.delay_adjust(undefined as any, 1)));
      },
    },
  });
  await runKernel();
  assert.equal(r, [
    EINVAL, 0, EINVAL, EINVAL,
    EINVAL, 0, EINVAL,
    [undefined, EINVAL],
    [undefined, EINVAL],
    [undefined, EINVAL],
    [undefined, EINVAL],
    [undefined, EINVAL],
    [undefined, EINVAL],
  ]);
});

errors("removing or adjusting an unknown timer gives ESRCH; another session's timer gives EPERM", async () => {
  virtualClock(1000);
  const r: unknown[] = [];
  let theirs = 0;
  Session.create({
    inline_states: {
      _start: (_) => {
        theirs = _[KERNEL].alarm_set("theirs", 1100) as number;
      },
      theirs: () => r.push("theirs fired"),
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        const own = k.alarm_set("own", 1100) as number;
        k.alarm_remove(own);
        for (const fn of [() => k.alarm_remove(own), () => k.alarm_adjust(own, 1), () => k.alarm_remove(theirs), () => k.alarm_adjust(theirs, 1)]) {
          k.errno = 0;
          r.push([fn(), k.errno]);
        }
      },
    },
  });
  await runKernel();
  assert.equal(r, [
    [undefined, ESRCH],
    [undefined, ESRCH],
    [undefined, EPERM],
    [undefined, EPERM],
    "theirs fired",
  ]);
});

errors("timers belong to the active session: a session can't clear another's by name", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  const a = Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].delay("tick", 1),
      tick: (_) => log.push(["A tick", _[SESSION].ID()]),
    },
  }) as Session;
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].delay("tick");
        _[KERNEL].alarm_remove_all();
      },
      tick: () => log.push("B tick"),
    },
  });
  await runKernel();
  assert.equal(log, [["A tick", a.ID()]]);
});

firing.run();
ids.run();
adjust.run();
errors.run();
void poeKernel;
