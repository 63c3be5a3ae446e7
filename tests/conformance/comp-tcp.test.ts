// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/comp_tcp.pm:
// a Server.TCP with a custom Acceptor and one with ClientInput/ClientPreConnect,
// each talked to by a Client.TCP, plus Client.TCP's constructor checks.
// The 34 passes of the Perl test are the log entries below; each party's
// own order is POE 1.370's (the two parties of a pair run concurrently).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "node:net";
import { POE, ARG0, ARG1, ARG2, HEAP, KERNEL, unpack_sockaddr_in } from "../../index.js";
import { runAndCheck } from "../components/helpers/tcp.js";

const comp = suite("comp_tcp");
const noop = () => {};

function constructorChecks(pass: (name: string) => void): void {
  const base: Record<string, unknown> = {
    RemoteAddress: "127.0.0.1", RemotePort: 31401, Connected: noop, ConnectError: noop,
    Disconnected: noop, ServerInput: noop, ServerError: noop, ServerFlushed: noop,
  };
  const throws = (params: Record<string, unknown>, name: string, re = /./) => {
    try {
      POE.Component.Client.TCP.new(params as any);
    } catch (e) {
      if (re.test((e as Error).message)) pass(name);
      return;
    }
  };
  throws(["RemoteAddress", "1.2.3.4", "Odd"] as any, "Client::TCP constructor requires even number of parameters", /parameters/);
  const missing = (args: Record<string, unknown>, remove: string[]) => {
    const p = { ...args };
    for (const k of remove) delete p[k];
    throws(p, `Client::TCP constructor requires ${remove.join(", ")}`);
  };
  missing(base, ["RemoteAddress"]);
  missing(base, ["RemotePort"]);
  missing(base, ["ServerInput"]);
  const marks = { ...base, HighMark: 256, LowMark: 64, ServerHigh: noop, ServerLow: noop };
  missing(marks, ["LowMark", "ServerHigh", "ServerLow"]);
  missing(marks, ["HighMark", "ServerHigh", "ServerLow"]);
  missing(marks, ["HighMark", "LowMark", "ServerLow"]);
  missing(marks, ["HighMark", "LowMark", "ServerHigh"]);
  for (const which of ["InlineStates", "PackageStates", "ObjectStates"]) {
    throws({ ...base, [which]: "Not a reference" }, `Client::TCP constructor requires ${which} to be a reference`, new RegExp(`${which}.*reference`, "i"));
  }
  throws({ ...base, SessionParams: () => "Not an array reference" }, "Client::TCP constructor requires SessionParams to be an array reference", /SessionParams/);
}

comp("acceptor and callback servers with their clients: the 34 checks pass, each party in POE's order", async () => {
  const log: string[] = [];
  const pass = (name: string) => log.push(name);
  let acceptorPort = 0;
  let callbackPort = 0;

  POE.Component.Server.TCP.new({
    Port: 0,
    Address: "127.0.0.1",
    Alias: "acceptor_server",
    Started: (_) => {
      [acceptorPort] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    Acceptor: (_) => {
      const socket = _[ARG0];
      POE.Session.create({
        inline_states: {
          _start: (_) => {
            _[HEAP].wheel = POE.Wheel.ReadWrite.new({ Handle: socket, InputEvent: "got_input", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
            pass("acceptor server got client connection");
          },
          _stop: () => pass("acceptor server stopped the client session"),
          got_input: (_) => {
            const [heap, input] = [_[HEAP], _[ARG0]];
            pass("acceptor server received input");
            heap.wheel.put(`echo: ${input}`);
            if (input === "quit") heap.shutdown = 1;
          },
          got_error: (_) => console.log(`acceptor server got ${_[ARG0]} error ${_[ARG1]}: ${_[ARG2]}`),
          got_flush: (_) => {
            pass("acceptor server flushed output");
            if (_[HEAP].shutdown) delete _[HEAP].wheel;
          },
        },
      });
    },
  });

  POE.Component.Server.TCP.new({
    Port: 0,
    Address: "127.0.0.1",
    Alias: "input_server",
    ClientFilter: ["POE::Filter::Line", { Literal: "\n" }],
    Started: (_) => {
      [callbackPort] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    ClientInput: (_) => {
      pass("callback server got input");
      _[HEAP].client.put(`echo: ${_[ARG0]}`);
      if (_[ARG0] === "quit") _[HEAP].shutdown = 1;
    },
    ClientError: (_) => console.log(`callback server got ${_[ARG0]} error ${_[ARG1]}: ${_[ARG2]}`),
    ClientFlushed: () => pass("callback server flushed output"),
    ClientConnected: () => pass("callback server got client connection"),
    ClientPreConnect: (_) => {
      pass("server got pre-connect callback");
      if (_[ARG0] instanceof net.Socket) pass("ARG0 is a socket");
      return _[ARG0];
    },
    ClientDisconnected: () => pass("callback server got client disconnected"),
  });

  constructorChecks(pass);

  POE.Component.Client.TCP.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: acceptorPort,
    PreConnect: (_) => {
      pass("acceptor pre connect");
      if (_[ARG0] instanceof net.Socket) pass("acceptor has a socket");
      return _[ARG0];
    },
    Connected: (_) => {
      pass("acceptor client connected");
      _[HEAP].server.put("quit");
    },
    ConnectError: (_) => console.log(`acceptor client got ${_[ARG0]} error ${_[ARG1]}: ${_[ARG2]}`),
    Disconnected: (_) => {
      pass("acceptor client disconnected");
      _[KERNEL].post("acceptor_server", "shutdown");
    },
    ServerInput: () => pass("acceptor client got input"),
    ServerError: (_) => {
      if (_[ARG0] === "read" && _[ARG1] === 0) pass("acceptor client got read error 0 (EOF)");
    },
    ServerFlushed: () => pass("acceptor client flushed output"),
  });

  POE.Component.Client.TCP.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: callbackPort,
    Filter: ["POE::Filter::Line", { Literal: "\n" }],
    Connected: (_) => {
      pass("callback client connected");
      _[HEAP].server.put("quit");
    },
    ConnectError: (_) => console.log(`callback client got ${_[ARG0]} error ${_[ARG1]}: ${_[ARG2]}`),
    Disconnected: (_) => {
      pass("callback client disconnected");
      _[KERNEL].post("input_server", "shutdown");
    },
    ServerInput: () => pass("callback client got input"),
    ServerError: (_) => {
      if (_[ARG0] === "read" && _[ARG1] === 0) pass("callback client got read error 0 (EOF)");
    },
    ServerFlushed: () => pass("callback client flushed output"),
  });

  await runAndCheck();

  assert.is(log.length, 34);
  assert.equal(log.slice(0, 12), [
    "Client::TCP constructor requires even number of parameters",
    "Client::TCP constructor requires RemoteAddress",
    "Client::TCP constructor requires RemotePort",
    "Client::TCP constructor requires ServerInput",
    "Client::TCP constructor requires LowMark, ServerHigh, ServerLow",
    "Client::TCP constructor requires HighMark, ServerHigh, ServerLow",
    "Client::TCP constructor requires HighMark, LowMark, ServerLow",
    "Client::TCP constructor requires HighMark, LowMark, ServerHigh",
    "Client::TCP constructor requires InlineStates to be a reference",
    "Client::TCP constructor requires PackageStates to be a reference",
    "Client::TCP constructor requires ObjectStates to be a reference",
    "Client::TCP constructor requires SessionParams to be an array reference",
  ]);
  const party = (prefix: RegExp) => log.filter((l) => prefix.test(l));
  assert.equal(party(/^acceptor server/), [
    "acceptor server got client connection",
    "acceptor server received input",
    "acceptor server flushed output",
    "acceptor server stopped the client session",
  ]);
  assert.equal(party(/^acceptor (client|pre|has)/), [
    "acceptor pre connect",
    "acceptor has a socket",
    "acceptor client connected",
    "acceptor client flushed output",
    "acceptor client got input",
    "acceptor client got read error 0 (EOF)",
    "acceptor client disconnected",
  ]);
  assert.equal(party(/^(callback server|server got|ARG0)/), [
    "server got pre-connect callback",
    "ARG0 is a socket",
    "callback server got client connection",
    "callback server got input",
    "callback server flushed output",
    "callback server got client disconnected",
  ]);
  assert.equal(party(/^callback client/), [
    "callback client connected",
    "callback client flushed output",
    "callback client got input",
    "callback client got read error 0 (EOF)",
    "callback client disconnected",
  ]);
});

comp.run();
