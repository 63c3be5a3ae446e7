// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/k_alarms.pm
//
// The original peeks at the queue through a patched-in queue_peek_alarms;
// here the queue order is read from alarm_remove_all() and from the order in
// which the alarms are dispatched. Time is virtual (the clock starts at
// 1000), so the original's "ran reasonably fast" check has no counterpart,
// and its rand() filler alarms use a fixed formula instead. Expected values
// come from POE 1.370 running the same calls.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, ESRCH, KERNEL, Session } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

const WAIT = 0.5;

/** Every path of the original's test_start, with `t` the epoch time of its alarms. */
function setPaths(k: any, t: number): void {
  k.alarm("path_one", t, 1.1);
  k.alarm("path_two", t, 2.1);
  k.alarm("path_two", t, 2.2);
  k.alarm_add("path_three", t, 3.1);
  k.alarm_add("path_three", t, 3.2);
  k.alarm("path_four", t, 4.1);
  k.alarm_add("path_four", t, 4.2);
  k.alarm("path_four", t, 4.3);
  k.alarm_add("path_four", t, 4.4);
  k.alarm("path_five", t, 5.1);
  k.alarm("path_five");
  k.delay("path_six", WAIT, 6.1);
  k.delay("path_seven", WAIT, 7.1);
  k.delay("path_seven", WAIT, 7.2);
  k.delay_add("path_eight", WAIT, 8.1);
  k.delay_add("path_eight", WAIT, 8.2);
  // As in the original: alarm() with WAIT as an epoch time, long past.
  k.alarm("path_nine", WAIT, 9.1);
  k.alarm_add("path_nine", WAIT, 9.2);
  k.alarm("path_nine", WAIT, 9.3);
  k.alarm_add("path_nine", WAIT, 9.4);
  k.delay("path_ten", WAIT, 10.1);
  k.alarm("path_ten");
}

/** Path eleven: duplicates, micro-adjustments and a 600-alarm filler, then the filler cleared. */
function setPathEleven(k: any, adjusted: number[]): void {
  const id253 = k.alarm_set("path_eleven_025_3", 25);
  k.alarm_set("path_eleven_025_2", 25);
  const id251 = k.alarm_set("path_eleven_025_1", 25);
  adjusted.push(k.alarm_adjust(id251, -0.01), k.alarm_adjust(id253, 0.01));
  for (let count = 0; count < 600; count++) k.alarm(`path_eleven_fill_${count}`, ((count * 7919) % 299) + 1);
  for (const due of [100, 200, 300, 50, 150, 250, 350, 75, 175, 275, 325, 225, 125]) {
    k.alarm(`path_eleven_${String(due).padStart(3, "0")}`, due);
  }
  const id206 = k.alarm_set("path_eleven_206", 205);
  k.alarm_set("path_eleven_205", 205);
  const id204 = k.alarm_set("path_eleven_204", 205);
  adjusted.push(k.alarm_adjust(id204, -0.01), k.alarm_adjust(id206, 0.01));
  for (let count = 0; count < 600; count++) k.alarm(`path_eleven_fill_${count}`);
}

const ELEVEN_ORDER = [
  "path_eleven_025_1", "path_eleven_025_2", "path_eleven_025_3", "path_eleven_050", "path_eleven_075",
  "path_eleven_100", "path_eleven_125", "path_eleven_150", "path_eleven_175", "path_eleven_200",
  "path_eleven_204", "path_eleven_205", "path_eleven_206", "path_eleven_225", "path_eleven_250",
  "path_eleven_275", "path_eleven_300", "path_eleven_325", "path_eleven_350",
];

// ---

const replace = suite("k_alarms replacement rules");

replace.after.each(realTime);

replace("alarm and delay replace same-named timers, alarm_add and delay_add add, alarm(name) clears", async () => {
  virtualClock(1000);
  const fired: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => setPaths(_[KERNEL], 1000 + WAIT),
      _default: (_) => {
        fired.push(`${_[ARG0]}:${_[ARG1][0]}`);
        return 0;
      },
      _stop: () => {},
    },
  });
  await runKernel();
  // POE 1.370: path_nine:9.3 path_nine:9.4 path_one:1.1 path_two:2.2 path_three:3.1 path_three:3.2
  //            path_four:4.3 path_four:4.4 path_six:6.1 path_seven:7.2 path_eight:8.1 path_eight:8.2
  assert.equal(fired, [
    "path_nine:9.3", "path_nine:9.4", "path_one:1.1", "path_two:2.2", "path_three:3.1", "path_three:3.2",
    "path_four:4.3", "path_four:4.4", "path_six:6.1", "path_seven:7.2", "path_eight:8.1", "path_eight:8.2",
  ]);
});

replace("alarm_remove_all returns what survived the replacements, delay timers with time 0", async () => {
  virtualClock(1000);
  let removed: unknown[][] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        setPaths(_[KERNEL], 1000 + WAIT);
        removed = _[KERNEL].alarm_remove_all();
      },
      _stop: () => {},
    },
  });
  await runKernel();
  const t = 1000 + WAIT;
  assert.equal(removed, [
    ["path_nine", 0.5, 9.3], ["path_nine", 0.5, 9.4], ["path_one", t, 1.1], ["path_two", t, 2.2],
    ["path_three", t, 3.1], ["path_three", t, 3.2], ["path_four", t, 4.3], ["path_four", t, 4.4],
    ["path_six", 0, 6.1], ["path_seven", 0, 7.2], ["path_eight", 0, 8.1], ["path_eight", 0, 8.2],
  ]);
});

replace.run();

// ---

const order = suite("k_alarms queue order");

order.after.each(realTime);

order("alarm_set duplicates and micro-adjustments sort by due time among 600 filler alarms", async () => {
  virtualClock(1000);
  const adjusted: number[] = [];
  let removed: unknown[][] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        setPathEleven(_[KERNEL], adjusted);
        removed = _[KERNEL].alarm_remove_all();
      },
      _stop: () => {},
    },
  });
  await runKernel();
  assert.equal(adjusted, [24.99, 25.01, 204.99, 205.01]);
  assert.equal(removed.map((r) => r[0]), ELEVEN_ORDER);
  assert.equal(removed.map((r) => r[1]), [24.99, 25, 25.01, 50, 75, 100, 125, 150, 175, 200, 204.99, 205, 205.01, 225, 250, 275, 300, 325, 350]);
});

order("past alarms are dispatched in due-time order, and _default also catches _stop", async () => {
  virtualClock(1000);
  const fired: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => setPathEleven(_[KERNEL], []),
      _default: (_) => {
        fired.push(_[ARG0]);
        return 0;
      },
    },
  });
  await runKernel();
  // POE 1.370 dispatches the same list, then _stop to _default.
  assert.equal(fired, [...ELEVEN_ORDER, "_stop"]);
});

order.run();

// ---

const ids = suite("k_alarms ID-based API");

ids.after.each(realTime);

ids("alarm_remove returns [name, time, args] for alarm_set and delay_set timers", async () => {
  virtualClock(1000);
  const results: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const k = _[KERNEL];
        const id14 = k.alarm_set("test_14", 1, 14);
        results.push(k.alarm_remove(id14 as number));
        const id15 = k.delay_set("test_15", WAIT, 15);
        results.push(k.alarm_remove(id15 as number));
        k.errno = 0;
        results.push(k.alarm_remove(id14 as number), k.errno);
      },
      test_14: () => results.push("test_14 rang"),
      test_15: () => results.push("test_15 rang"),
      _stop: () => {},
    },
  });
  await runKernel();
  assert.equal(results, [["test_14", 1, [14]], ["test_15", 1000.5, [15]], undefined, ESRCH]);
});

ids("alarm_adjust returns the new due times, and _default sees the adjusted alarms in due order", async () => {
  virtualClock(1000);
  const log: unknown[] = [];
  const dispatched: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alarm_set("test_13", 1, 13);
      },
      test_13: (_) => {
        const k = _[KERNEL];
        log.push(_[ARG0]);
        k.delay("test_16", WAIT);
        k.delay("test_17", WAIT);
        log.push(k.alarm_remove_all());
        const adjusted: unknown[] = [];
        let id = k.alarm_set("test_18", 50, 18) as number;
        adjusted.push(k.alarm_adjust(id, -1), k.alarm_adjust(id, 1));
        id = k.alarm_set("test_19", 52, 19) as number;
        adjusted.push(k.alarm_adjust(id, -4), k.alarm_adjust(id, 4));
        id = k.alarm_set("test_20", 49, 20) as number;
        adjusted.push(k.alarm_adjust(id, 2), k.alarm_adjust(id, 2), k.alarm_adjust(id, -2));
        const filler: number[] = [];
        for (let i = 1; i <= 100; i++) filler.push(k.alarm_set("filler", i) as number);
        id = k.alarm_set("test_21", 50, 21) as number;
        adjusted.push(k.alarm_adjust(id, -10), k.alarm_adjust(id, 20), k.alarm_adjust(id, -100));
        id = k.alarm_set("test_22", 50, 22) as number;
        adjusted.push(k.alarm_adjust(id, 100));
        for (const f of filler) k.alarm_remove(f);
        log.push(adjusted);
      },
      test_16: () => log.push("test_16 rang"),
      test_17: () => log.push("test_17 rang"),
      _default: (_) => {
        if (/test_\d+/.test(_[ARG0])) dispatched.push(_[ARG1][0]);
        _[KERNEL].sig_handled();
      },
      _stop: () => {},
    },
  });
  await runKernel();
  // POE 1.370: arg 13; 2 removed (test_16/0, test_17/0); adj 49 50 48 52 51 53 51 40 60 -40 150.
  assert.equal(log, [13, [["test_16", 0], ["test_17", 0]], [49, 50, 48, 52, 51, 53, 51, 40, 60, -40, 150]]);
  assert.equal(dispatched, [21, 18, 20, 19, 22]);
});

ids.run();
