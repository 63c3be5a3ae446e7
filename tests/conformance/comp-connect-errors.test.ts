// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/connect_errors.pm:
// a Client.TCP to a port nothing listens on gets ConnectError, a watcher
// session's 10-second timeout is cancelled, and run() returns.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { POE, HEAP, poeKernel } from "../../index.js";
import { refusedPort, runAndCheck } from "../components/helpers/tcp.js";

const errors = suite("connect_errors");

errors("a connection failure reaches ConnectError and run() returns", async () => {
  const log: string[] = [];
  const unusedPort = await refusedPort();
  log.push(unusedPort > 0 ? "found unused port" : "no unused port");
  POE.Session.create({
    inline_states: {
      _start: (_) => {
        poeKernel.alias_set("watcher");
        _[HEAP].alarm = poeKernel.delay_set("timeout", 10);
      },
      timeout: () => {
        poeKernel.post("client", "shutdown");
        log.push("timeout for connection");
      },
      shutdown: (_) => {
        poeKernel.alarm_remove(_[HEAP].alarm);
      },
      _stop: () => {},
    },
  });
  POE.Component.Client.TCP.new({
    RemotePort: unusedPort,
    RemoteAddress: "127.0.0.1",
    Alias: "client",
    Connected: () => log.push("should have failed to connect"),
    ConnectError: () => {
      poeKernel.post("watcher", "shutdown");
      log.push("expected connection failure occurred");
    },
    ServerInput: () => log.push("ServerInput called unexpectedly"),
  });
  await runAndCheck(15_000);
  log.push("run() returned successfully");
  assert.equal(log, ["found unused port", "expected connection failure occurred", "run() returned successfully"]);
});

errors.run();
