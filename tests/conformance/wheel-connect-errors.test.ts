// Port of poe-test-loops lib/POE/Test/Loops/connect_errors.pm (POE 1.370):
// connecting to a port that is bound but not listening fails (not
// connected), the watcher's timeout is cancelled, and run() returns.
// Component::Client::TCP is played by its SocketFactory (components/ come
// later); the reserved port is a bound, never-listening node:net socket.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type AddressInfo } from "node:net";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, Session } from "../../kernel/index.js";
import { WheelSocketFactory } from "../../wheels/index.js";
import { netResources, runAndCheck } from "../helpers/net-resources.js";

const test = suite("connect_errors");

test("a connect to a reserved, unlistened port fails and run() returns", async () => {
  const base = netResources();
  // A port nobody listens on: bind a server, read its port, close it.
  const reserved = createServer();
  await new Promise<void>((resolve) => reserved.listen(0, "127.0.0.1", () => resolve()));
  const unusedPort = (reserved.address() as AddressInfo).port;
  await new Promise((resolve) => reserved.close(resolve));
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[KERNEL].alias_set("watcher");
        _[HEAP].alarm = _[KERNEL].delay_set("timeout", 10);
      },
      timeout: () => log.push("timeout for connection"),
      shutdown: (_) => { _[KERNEL].alarm_remove(_[HEAP].alarm); _[KERNEL].alias_remove("watcher"); },
    },
  });
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].connector = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: unusedPort, SuccessEvent: "connected", FailureEvent: "connect_error" });
      },
      connected: () => log.push("should have failed to connect"),
      connect_error: (_) => {
        _[KERNEL].post("watcher", "shutdown");
        log.push(["expected connection failure occurred", _[ARG0], _[ARG1], _[ARG2]]);
        delete _[HEAP].connector;
      },
    },
  });
  await runAndCheck(base);
  log.push("run() returned successfully");
  assert.equal(log, [["expected connection failure occurred", "connect", 111, "Connection refused"], "run() returned successfully"]);
});

test.run();
