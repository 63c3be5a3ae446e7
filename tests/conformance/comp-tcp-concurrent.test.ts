// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/comp_tcp_concurrent.pm:
// a Concurrency 1 server with its own Acceptor (whose sessions post
// "disconnected" themselves) and a Concurrency 4 ClientInput server, each
// hit by 9 Client.TCP clients at once. Neither server ever exceeds its limit.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { POE, ARG0, HEAP, KERNEL, SENDER, unpack_sockaddr_in } from "../../index.js";
import { runAndCheck } from "../components/helpers/tcp.js";

const NUM_CLIENTS = 9;
const concurrent = suite("comp_tcp_concurrent");

concurrent("9 clients per server: one at a time on the acceptor server, at most 4 on the callback server", async () => {
  const log: string[] = [];
  const warnings: string[] = [];
  const connected = { acceptor: 0, callback: 0 };
  let acceptorN = 0;
  let callbackN = 0;
  let acceptorPort = 0;
  let callbackPort = 0;

  POE.Component.Server.TCP.new({
    Port: 0,
    Address: "127.0.0.1",
    Alias: "acceptor_server",
    Concurrency: 1,
    Started: (_) => {
      [acceptorPort] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    Acceptor: (_) => {
      const socket = _[ARG0];
      log.push(connected.acceptor ? "fail: acceptor server got simultaneous connections" : "acceptor server : one connection open");
      connected.acceptor = 1;
      POE.Session.create({
        inline_states: {
          _start: (_) => {
            _[HEAP].wheel = POE.Wheel.ReadWrite.new({ Handle: socket, InputEvent: "got_input", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
            _[HEAP].tcp_server = _[SENDER].ID();
          },
          _stop: () => {
            connected.acceptor = 0;
          },
          got_input: (_) => {
            const [heap, input] = [_[HEAP], _[ARG0]];
            acceptorN++;
            heap.wheel.put(`echo: ${input} #${acceptorN}`);
            if (input === "quit") {
              heap.shutdown = 1;
              _[KERNEL].post(heap.tcp_server, "shutdown");
            }
          },
          got_error: (_) => {
            const heap = _[HEAP];
            if (_[ARG0] === "read" && _[ARG0 + 1] === 0) {
              heap.shutdown = 1;
              _[KERNEL].post(heap.tcp_server, "disconnected");
            } else warnings.push(`acceptor server got ${_[ARG0]} error`);
            delete heap.wheel;
          },
          got_flush: (_) => {
            const heap = _[HEAP];
            if (heap.shutdown) {
              delete heap.wheel;
              _[KERNEL].post(heap.tcp_server, "disconnected");
            }
          },
        },
      });
    },
  });

  POE.Component.Server.TCP.new({
    Port: 0,
    Address: "127.0.0.1",
    Alias: "callback_server",
    Started: (_) => {
      [callbackPort] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    Concurrency: 4,
    ClientInput: (_) => {
      callbackN++;
      if (_[ARG0] === "quit") _[KERNEL].post("callback_server", "shutdown");
      else _[HEAP].client.put(`echo: ${_[ARG0]} #${callbackN}`);
    },
    ClientError: (_) => {
      if (!(_[ARG0] === "read" && _[ARG0 + 1] === 0)) warnings.push(`callback server got ${_[ARG0]} error`);
      _[KERNEL].yield("shutdown");
    },
    ClientConnected: () => {
      connected.callback++;
      log.push(connected.callback > 4 ? `fail: callback server got ${connected.callback} simultaneous connections` : `callback server : ${connected.callback} connections open`);
    },
    ClientDisconnected: () => {
      connected.callback--;
    },
  });

  const client = (n: number, kind: string, port: number) =>
    POE.Component.Client.TCP.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: port,
      Alias: `${kind} client ${n}`,
      Connected: (_) => _[HEAP].server.put(`hello ${n}`),
      ConnectError: (_) => warnings.push(`${kind} client ${n} got ${_[ARG0]} error`),
      ServerInput: (_) => {
        if (new RegExp(`#${NUM_CLIENTS}$`).test(_[ARG0])) _[HEAP].server.put("quit");
        _[KERNEL].yield("shutdown");
      },
      ServerError: (_) => {
        if (!(_[ARG0] === "read" && _[ARG0 + 1] === 0)) warnings.push(`${kind} client ${n} got ${_[ARG0]} error`);
      },
    });
  for (let n = 1; n <= NUM_CLIENTS; n++) {
    client(n, "acceptor", acceptorPort);
    client(n, "callback", callbackPort);
  }

  await runAndCheck(20_000);
  assert.is(log.length, NUM_CLIENTS * 2);
  assert.equal(log.filter((l) => l.startsWith("fail")), []);
  assert.is(log.filter((l) => l === "acceptor server : one connection open").length, NUM_CLIENTS);
  assert.is(log.filter((l) => l.startsWith("callback server :")).length, NUM_CLIENTS);
  assert.equal(warnings, []);
});

concurrent.run();
