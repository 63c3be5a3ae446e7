// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/z_steinert_signal_integrity.pm
//
// A signal sent to the kernel before run() reaches both nested sessions
// with its own parameters intact. The original's POE::Wheel::ReadWrite and
// POE::Pipe::OneWay imports are unused and not ported.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, KERNEL, SESSION, Session, poeKernel } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

// ---

const integrity = suite("z_steinert_signal_integrity");

integrity.after.each(realTime);

integrity("a signal posted to the kernel before run() reaches each nested watcher once, with ('MOO', 99)", async () => {
  virtualClock(1000);
  const log: string[] = [];
  let sessionCount = 0;
  const startSession = (): Session => {
    sessionCount++;
    return Session.create({
      inline_states: {
        _start: (_) => {
          log.push(`start ${_[SESSION].ID()}`);
          if (sessionCount < 2) startSession();
          _[KERNEL].sig("MOO", "got_signal");
          _[KERNEL].delay("timed_out", 2);
        },
        got_signal: (_) => {
          log.push(`got ${_[SESSION].ID()} ${_[ARG0]} ${_[ARG1]} ${_.length - ARG0}`);
          poeKernel.delay("timed_out", 0.25);
        },
        timed_out: (_) => {
          log.push(`timed_out ${_[SESSION].ID()} at ${poeKernel.time()}`);
          _[KERNEL].sig("MOO");
        },
        _stop: (_) => log.push(`stop ${_[SESSION].ID()}`),
        _parent: () => {},
        _child: () => {},
      },
    }) as Session;
  };
  // The inner session is created in the outer one's _start: the next ID.
  const first = startSession().ID();
  const second = first + 1;
  const sent = poeKernel.signal(poeKernel, "MOO", 99);
  await runKernel();
  assert.is(sent, true);
  // POE 1.370 (sessions 1 and 2): start 1, start 2, got 2 MOO 99 2, got 1 MOO 99 2,
  // timed_out 2, timed_out 1, stop 2, stop 1.
  assert.equal(log, [
    `start ${first}`,
    `start ${second}`,
    `got ${second} MOO 99 2`,
    `got ${first} MOO 99 2`,
    `timed_out ${second} at 1000.25`,
    `timed_out ${first} at 1000.25`,
    `stop ${second}`,
    `stop ${first}`,
  ]);
});

integrity.run();
