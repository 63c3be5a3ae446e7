// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/k_signals.pm
//
// Not ported: the first part forks eight children, watches CHLD and reaps
// them. Node has no fork(), and poe-ts has no sig_child or CHLD reaping
// (docs/porting.md), so that part has no counterpart here.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, HEAP, KERNEL, SENDER, Session, poeKernel } from "../../kernel/index.js";
import { realTime, runKernel, virtualClock } from "../helpers/kernel-harness.js";

// ---

const idle = suite("k_signals aliases and IDLE");

idle("an aliased server child answering its parent does not keep the kernel from going idle", async () => {
  const log: string[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        Session.create({
          inline_states: {
            _start: (_) => {
              _[KERNEL].alias_set("server");
            },
            do_thing: (_) => {
              log.push(`do_thing ${_[ARG0]}`);
              _[KERNEL].post(_[SENDER], "thing_done", _[ARG0]);
            },
            _child: () => 0,
            _stop: () => log.push("server _stop"),
          },
        });
        _[KERNEL].post("server", "do_thing", 1);
      },
      thing_done: (_) => log.push(`thing_done ${_[ARG0]}`),
      _child: (_) => log.push(`client _child ${_[ARG0]}`),
      _stop: () => log.push("client _stop"),
    },
  });
  await runKernel();
  // POE 1.370: the same order.
  assert.equal(log, ["client _child create", "do_thing 1", "thing_done 1", "server _stop", "client _child lose", "client _stop"]);
});

idle.run();

// ---

const os = suite("k_signals OS signals");

os.after.each(realTime);

os("USR1 and PIPE sent with process.kill reach their watcher exactly once each", async () => {
  virtualClock(1000);
  const sent: boolean[] = [];
  const caught = { usr1: 0, pipe: 0 };
  const reduceTimeout = (heap: any) => {
    if (heap.usr1 && heap.pipe) poeKernel.delay("signal_wait_timeout", 0.1);
  };
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].sig("USR1", "got_usr1");
        _[KERNEL].sig("PIPE", "got_pipe");
        _[KERNEL].yield("send_signals");
      },
      send_signals: (_) => {
        sent.push(process.kill(process.pid, "SIGUSR1"), process.kill(process.pid, "SIGPIPE"));
        _[KERNEL].delay("signal_wait_timeout", 1);
      },
      got_usr1: (_) => {
        _[HEAP].usr1 = (_[HEAP].usr1 ?? 0) + 1;
        reduceTimeout(_[HEAP]);
      },
      got_pipe: (_) => {
        _[HEAP].pipe = (_[HEAP].pipe ?? 0) + 1;
        reduceTimeout(_[HEAP]);
      },
      signal_wait_timeout: (_) => {
        _[KERNEL].sig("USR1");
        _[KERNEL].sig("PIPE");
      },
      _stop: (_) => {
        caught.usr1 = _[HEAP].usr1;
        caught.pipe = _[HEAP].pipe;
      },
    },
  });
  await runKernel();
  assert.equal(sent, [true, true]);
  assert.equal(caught, { usr1: 1, pipe: 1 });
  assert.equal([process.listenerCount("SIGUSR1"), process.listenerCount("SIGPIPE")], [0, 0]);
});

os.run();
