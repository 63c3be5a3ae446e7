// POE::Wheel::ListenAccept over a net.Server. Port of poe-test-loops
// wheel_accept.pm: five SocketFactory clients are accepted, after event()
// renamed the events given to new().
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type AddressInfo, type Server } from "node:net";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, poeKernel, Session } from "../../kernel/index.js";
import { WheelListenAccept, WheelSocketFactory, inet_ntoa, sockaddr_family, unpack_sockaddr_in, AF_INET } from "../../wheels/index.js";
import { netResources, poeKeys, runAndCheck } from "../helpers/net-resources.js";

function listening(): Promise<Server> {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const accept = suite("ListenAccept");

accept("accepts every connection, after event() renamed AcceptEvent and ErrorEvent (wheel_accept)", async () => {
  const base = netResources();
  const server = await listening();
  const port = (server.address() as AddressInfo).port;
  const CONNECTORS = 5;
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].listener_wheel = WheelListenAccept.new({ Handle: server, AcceptEvent: "got_connection_nonexistent", ErrorEvent: "got_error_nonexistent" });
        _[HEAP].listener_wheel.event("AcceptEvent", "got_connection", "ErrorEvent", "got_error");
        _[HEAP].accept_count = 0;
      },
      got_connection: (_) => {
        const [sockaddr, id] = [_[ARG1], _[ARG2]];
        const [, addr] = unpack_sockaddr_in(sockaddr);
        log.push([sockaddr_family(sockaddr) === AF_INET, inet_ntoa(addr), id === _[HEAP].listener_wheel.ID(), typeof _[ARG0].write]);
        if (++_[HEAP].accept_count === CONNECTORS) delete _[HEAP].listener_wheel;
      },
      got_error: () => log.push("error"),
      _stop: (_) => {
        log.push(["accepted", _[HEAP].accept_count]);
        server.close();
      },
    },
  });
  for (let i = 0; i < CONNECTORS; i++) {
    Session.create({
      inline_states: {
        _start: (_) => {
          _[HEAP].connector_wheel = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "got_connection", FailureEvent: "got_error" });
        },
        got_connection: (_) => { delete _[HEAP].connector_wheel; },
        got_error: (_) => { log.push(["connect error", _[ARG0]]); delete _[HEAP].connector_wheel; },
      },
    });
  }
  await runAndCheck(base);
  const accepted = Array(CONNECTORS).fill([true, "127.0.0.1", true, "function"]);
  assert.equal(log, [...accepted, ["accepted", CONNECTORS]]);
});

accept("puts no property of poe-ts on the server it watches", async () => {
  const base = netResources();
  const server = await listening();
  const log: unknown[] = [];
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].wheel = WheelListenAccept.new({ Handle: server, AcceptEvent: "got_connection" });
        log.push(["watched", poeKeys(server)]);
        delete _[HEAP].wheel;
        log.push(["released", poeKeys(server)]);
        server.close();
      },
      got_connection: () => log.push("connection"),
    },
  });
  await runAndCheck(base);
  assert.equal(log, [["watched", []], ["released", []]]);
});

accept("croaks without Handle or AcceptEvent, and outside a session", async () => {
  const server = await listening();
  const messages: string[] = [];
  Session.create({
    inline_states: {
      _start: () => {
        for (const params of [{ AcceptEvent: "a" }, { Handle: server }]) {
          try {
            WheelListenAccept.new(params as any);
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
      },
    },
  });
  await poeKernel.run();
  assert.throws(() => WheelListenAccept.new({ Handle: server, AcceptEvent: "a" }), /must be created inside a session's event handler/);
  await new Promise((resolve) => server.close(resolve));
  assert.equal(messages, ["Handle required", "AcceptEvent required"]);
});

accept("the wheel keeps its session alive until deleted", async () => {
  const base = netResources();
  const server = await listening();
  const log: string[] = [];
  const holder = Session.create({
    inline_states: {
      _start: (_) => { _[HEAP].wheel = WheelListenAccept.new({ Handle: server, AcceptEvent: "a" }); },
      drop: (_) => { log.push("drop"); delete _[HEAP].wheel; },
      _stop: () => { log.push("_stop"); server.close(); },
    },
  });
  // Nothing but the wheel holds the first session until this one posts.
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].delay("go", 0.05),
      go: (_) => _[KERNEL].post(holder, "drop"),
    },
  });
  await runAndCheck(base);
  assert.equal(log, ["drop", "_stop"]);
});

accept.run();
