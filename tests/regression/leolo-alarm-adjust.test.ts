// Port by intent of rcaputo/poe t/90_regression/leolo-alarm-adjust.t
//
// delay_adjust(id, 1) and alarm_adjust(id, -9) bring two 10-second timers
// in to one second. The original checks wall time ("took < 2"); here the
// virtual clock gives each timer's exact due time, and the original's
// POE::Test::Sequence order is asserted as one log.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { HEAP, Session, poeKernel } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

const adjust = suite("leolo-alarm-adjust");

adjust.after.each(realTime);

adjust("adjusted 10-second alarm and delay both ring one second after the start", async () => {
  virtualClock(1000);
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        const heap = _[HEAP];
        const now = (heap.started = poeKernel.time());
        heap.alarm = poeKernel.alarm_set("the_alarm", now + 10);
        heap.delay = poeKernel.delay_set("the_delay", 10);
        poeKernel.yield("adjust_them");
        log.push(`_start at ${now}`);
      },
      adjust_them: (_) => {
        const heap = _[HEAP];
        const delayDue = poeKernel.delay_adjust(heap.delay, 1);
        const alarmDue = poeKernel.alarm_adjust(heap.alarm, -9);
        log.push(`adjust_them delay->${delayDue} alarm->${alarmDue}`);
      },
      the_alarm: (_) => log.push(`the_alarm after ${poeKernel.time() - _[HEAP].started}`),
      the_delay: (_) => log.push(`the_delay after ${poeKernel.time() - _[HEAP].started}`),
      _stop: () => log.push("_stop"),
    },
  });
  await runKernel();
  // POE 1.370 (wall clock): adjusted to start+1.00 both, the_alarm after 1.0, the_delay after 1.0, _stop.
  assert.equal(log, ["_start at 1000", "adjust_them delay->1001 alarm->1001", "the_alarm after 1", "the_delay after 1", "_stop"]);
});

adjust.run();
