import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EEXIST, EPERM, ESRCH, KERNEL, poeKernel, Session } from "../../kernel/index.js";
import { captureWarnings, runKernel } from "../helpers/kernel-harness.js";

/** Run `fn` inside a session's _start; collect what it returns. */
async function inSession<T>(fn: (_: any) => T): Promise<T> {
  let out: T | undefined;
  Session.create({ inline_states: { _start: (_) => { out = fn(_); } } });
  await runKernel();
  return out as T;
}

/** What each of `calls` throws, formatted by `describe`, or "no throw". */
function thrownBy(calls: Array<() => unknown>, describe = (error: Error) => error.message): string[] {
  return calls.map((call) => {
    try {
      call();
      return "no throw";
    } catch (error) {
      return describe(error as Error);
    }
  });
}

const types = suite("wrong argument types");

types("event names that aren't strings throw, naming the method and what was received", async () => {
  const messages = await inSession((_) => {
    const k = _[KERNEL];
    return thrownBy([() => k.post(_.session, 42), () => k.yield(null), () => k.call(_.session, {}), () => k.state(7, () => {})], (error) => `${error.name}: ${error.message}`);
  });
  assert.equal(messages, [
    "TypeError: POE::Kernel->post: event must be a string, got number 42",
    "TypeError: POE::Kernel->yield: event must be a string, got null",
    "TypeError: POE::Kernel->call: event must be a string, got object",
    "TypeError: POE::Kernel->state: event must be a string, got number 7",
  ]);
});

types("timer calls reject non-number times and non-string names", async () => {
  const messages = await inSession((_) => {
    const k = _[KERNEL];
    return thrownBy([() => k.delay("x", "5"), () => k.alarm_set("x", NaN), () => k.alarm(3, 1), () => k.alarm_remove("1"), () => k.delay_adjust([1], 1)]);
  });
  assert.equal(messages, [
    'POE::Kernel->delay: seconds must be a number of seconds, got string "5"',
    "POE::Kernel->alarm_set: time must be a number of seconds, got number NaN",
    "POE::Kernel->alarm: event name must be a string, got number 3",
    'POE::Kernel->alarm_remove: alarm id must be a number, got string "1"',
    "POE::Kernel->delay_adjust: alarm id must be a number, got array of length 1",
  ]);
});

types("alias and signal calls reject names that aren't strings", async () => {
  const messages = await inSession((_) => {
    const k = _[KERNEL];
    return thrownBy([() => k.alias_set(1), () => k.alias_remove(undefined), () => k.sig(2, "x"), () => k.sig("INT", 5), () => k.signal(_.session, {})]);
  });
  assert.equal(messages, [
    "POE::Kernel->alias_set: alias must be a string, got number 1",
    "POE::Kernel->alias_remove: alias must be a string, got undefined",
    "POE::Kernel->sig: signal name must be a string, got number 2",
    "POE::Kernel->sig: event must be a string, got number 5",
    "POE::Kernel->signal: signal name must be a string, got object",
  ]);
});

types("set_clock refuses a clock without now() and refuses to change while timers are pending", async () => {
  assert.throws(() => poeKernel.set_clock({} as any), /^POE::Kernel->set_clock: clock must have a now\(\) method, got object$/);
  let message = "";
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].delay("x", 0);
        try {
          poeKernel.set_clock({ now: () => 0, virtual: true });
        } catch (error) {
          message = (error as Error).message;
        }
      },
      x: () => {},
    },
  });
  await runKernel();
  assert.is(message, "POE::Kernel->set_clock: timers are pending; set the clock before scheduling any");
});

// ---

const create = suite("Session.create bad input");

create("throws for parameters that aren't an object, naming what was received", () => {
  assert.throws(() => Session.create(null as any), /^POE::Session->create: parameters must be an object, got null$/);
  assert.throws(() => Session.create(["an", "odd", "list"] as any), /^POE::Session->create: parameters must be an object, got array of length 3$/);
});

create("refuses a non-function inline handler before anything starts", async () => {
  let started = false;
  assert.throws(
    () => Session.create({ inline_states: { _start: () => { started = true; }, tick: "nope" as any } }),
    /^POE::Session->create: inline_states\.tick must be a function, got string "nope"$/,
  );
  await runKernel();
  assert.is(started, false);
});

create("refuses object and package states with a missing method, an odd list or a bad event list", () => {
  const obj = { _start() {} };
  assert.throws(() => Session.create({ object_states: [obj, ["_start", "missing"]] }), /^POE::Session->create: object_states\[0\] has no method 'missing' for event 'missing'$/);
  assert.throws(() => Session.create({ object_states: [obj] }), /^POE::Session->create: object_states must be a list of \(object, events\) pairs, got array of length 1$/);
  assert.throws(() => Session.create({ package_states: ["NotAClass", ["_start"]] }), /^POE::Session->create: package_states\[0\] must be a class or module namespace, got string "NotAClass"$/);
  assert.throws(() => Session.create({ object_states: [obj, "_start"] }), /^POE::Session->create: object_states\[1\] must be a list of event names or an object of event: method, got string "_start"$/);
  assert.throws(() => Session.create({ inline_states: { _start() {} }, options: "trace" as any }), /^POE::Session->create: options must be an object, got string "trace"$/);
});

create("warns once about unknown parameters and still creates the session", async () => {
  const log: string[] = [];
  const [, warnings] = await captureWarnings(async () => {
    for (let i = 0; i < 2; i++) Session.create({ inline_states: { _start: () => log.push("_start") }, Heap: {}, argz: [] } as any);
    await runKernel();
  });
  assert.equal(log, ["_start", "_start"]);
  assert.equal(warnings, ["POE::Session->create: unknown parameter(s): Heap, argz"]);
});

create("discards a session without _start, with a warning, and returns undefined", async () => {
  const [session, warnings] = await captureWarnings(() => Session.create({ inline_states: { tick: () => {} } }));
  await runKernel();
  assert.is(session, undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^discarding session POE::Session\(.*\) - no '_start' state$/);
});

// ---

const errno = suite("errno of failing kernel calls");

errno("kernel calls that fail return or set POE's errno values", async () => {
  const results = await inSession((_) => {
    const k = _[KERNEL];
    const r: unknown[] = [];
    const withErrno = (fn: () => unknown) => {
      k.errno = 0;
      const value = fn();
      r.push([value, k.errno]);
    };
    withErrno(() => k.post(1_000_000, "x"));
    withErrno(() => k.call(1_000_000, "x"));
    withErrno(() => k.signal(1_000_000, "BOOGA"));
    withErrno(() => k.ID_id_to_session(1_000_000));
    withErrno(() => k.ID_session_to_id(1_000_000));
    withErrno(() => k.refcount_increment(1_000_000, "tag"));
    withErrno(() => k.refcount_decrement(1_000_000, "tag"));
    withErrno(() => k.detach_myself());
    withErrno(() => k.detach_child(1_000_000));
    r.push(k.alias_set("kernel_alias"), k.alias_remove("kernel_alias"), k.alias_remove("yatta yatta yatta"));
    return r;
  });
  assert.equal(results, [
    [false, ESRCH],
    [undefined, ESRCH],
    [false, ESRCH],
    [undefined, ESRCH],
    [undefined, ESRCH],
    [undefined, ESRCH],
    [undefined, ESRCH],
    [undefined, EPERM],
    [undefined, ESRCH],
    0,
    0,
    ESRCH,
  ]);
});

errno("the kernel's own alias can't be taken or removed by a session (EEXIST, EPERM); state() outside a session is ESRCH", async () => {
  const r: unknown[] = [poeKernel.alias_set("kernel_alias")];
  Session.create({ inline_states: { _start: (_) => r.push(_[KERNEL].alias_set("kernel_alias"), _[KERNEL].alias_remove("kernel_alias")) } });
  r.push(poeKernel.alias_remove("kernel_alias"), poeKernel.state("woobly", () => {}));
  await runKernel();
  assert.equal(r, [0, EEXIST, EPERM, 0, ESRCH]);
});

types.run();
create.run();
errno.run();
