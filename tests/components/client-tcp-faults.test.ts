// POE.Component.Client.TCP fault cases on loopback: refused, connect
// timeout (virtual clock and a listener whose accept queue is full), DNS
// failure, reset mid-stream, the server closing with output queued,
// reconnect storms, and the two POE bugs this port fixes (ConnectTimeout
// rounding, the sticky error flag).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { POE, ARG0, ARG3, HEAP, KERNEL, STATE, VirtualClock } from "../../index.js";
import {
  clean, collect, rawServer, realTime, refusedPort, runAndCheck, runKernel, stalledListener,
} from "./helpers/tcp.js";

const Client = POE.Component.Client.TCP;
const noop = () => {};
const errorOf = (_: any) => _.slice(ARG0, ARG3 + 1).map((v: unknown, i: number) => (i === 3 ? typeof v : v));

function virtual(start: number): VirtualClock {
  const clock = new VirtualClock(start);
  POE.Kernel.set_clock(clock);
  return clock;
}

// ---

const refused = suite("Client.TCP connection refused");

refused("ConnectError gets ('connect', 111, 'Connection refused', wheel ID), heap.server is deleted after it, and the session ends", async () => {
  const port = await refusedPort();
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: port,
    Started: () => seen.push("Started"),
    ConnectError: (_) => seen.push([_[STATE], ...errorOf(_), _[HEAP].connected, "server" in _[HEAP]]),
    ServerInput: noop,
    InlineStates: { _stop: (_) => seen.push(["_stop", "server" in _[HEAP]]) },
  });
  await runAndCheck();
  assert.equal(seen, ["Started", ["got_connect_error", "connect", 111, "Connection refused", "number", 0, true], ["_stop", false]]);
});

refused("a DNS failure gives ConnectError ('inet_aton', 99, 'Cannot assign requested address')", async () => {
  const seen: unknown[] = [];
  // "bad..name" is rejected by the resolver library without a query leaving the machine.
  Client.new({ RemoteAddress: "bad..name", RemotePort: 7, ConnectError: (_) => seen.push(errorOf(_)), ServerInput: noop });
  await runAndCheck();
  assert.equal(seen, [["inet_aton", 99, "Cannot assign requested address", "number"]]);
});

refused.run();

// ---

const timeout = suite("Client.TCP ConnectTimeout");

timeout("a connect that never completes gives ConnectError ('connect', 110, 'Connection timed out') exactly ConnectTimeout later", async () => {
  const listener = await stalledListener();
  // POE would fire at int(1000.75) + 1.5 = 1001.5, 0.75 s after the connect began.
  const clock = virtual(1000.75);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: listener.port,
    ConnectTimeout: 1.5,
    Started: () => seen.push(["Started", POE.time()]),
    Connected: () => seen.push("Connected (unexpected)"),
    ConnectError: (_) => seen.push([_[STATE], ...errorOf(_).slice(0, 3), _[ARG3], POE.Kernel.errno, POE.time(), "server" in _[HEAP]]),
    ServerInput: noop,
    InlineStates: { _stop: (_) => seen.push(["_stop", "server" in _[HEAP], "ctimeout_id" in _[HEAP]]) },
  });
  try {
    await runKernel();
  } finally {
    realTime();
  }
  await clean();
  assert.equal(seen, [
    ["Started", 1000.75],
    ["got_connect_timeout", "connect", 110, "Connection timed out", undefined, 110, 1002.25, true],
    ["_stop", false, false],
  ]);
  assert.is(clock.now(), 1002.25);
});

timeout("the timeout is cancelled by a successful connect", async () => {
  const srv = await rawServer((socket) => socket.write("hi\r\n"));
  const clock = virtual(5000);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ConnectTimeout: 30,
    ConnectError: () => seen.push("ConnectError (unexpected)"),
    ServerInput: (_) => {
      seen.push([_[ARG0], "ctimeout_id" in _[HEAP]]);
      _[KERNEL].yield("shutdown");
    },
  });
  try {
    await runKernel();
  } finally {
    realTime();
  }
  await clean();
  assert.equal(seen, [["hi", false]]);
  assert.is(clock.now(), 5000, "no timer was left to advance the clock to");
});

timeout("a timeout followed by a delayed reconnect retries at the program's pace", async () => {
  const listener = await stalledListener();
  virtual(2000);
  const times: number[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: listener.port,
    ConnectTimeout: 0.5,
    ConnectError: (_) => {
      times.push(POE.time());
      if (times.length < 3) _[KERNEL].delay("reconnect", 2);
    },
    ServerInput: noop,
  });
  try {
    await runKernel();
  } finally {
    realTime();
  }
  await clean();
  assert.equal(times, [2000.5, 2003, 2005.5]);
});

timeout.run();

// ---

const stream = suite("Client.TCP errors mid-stream");

stream("a reset mid-stream: the records read so far, ServerError ('read', 104, ...), then Disconnected", async () => {
  const srv = await rawServer((socket) => {
    socket.write("one\r\ntwo\r\n");
    socket.once("data", () => socket.resetAndDestroy());
  });
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => {
      seen.push(_[ARG0]);
      if (_[ARG0] === "two") _[HEAP].server.put("reset me");
    },
    ServerError: (_) => seen.push([_[STATE], ...errorOf(_)]),
    Disconnected: (_) => seen.push(["Disconnected", _[STATE]]),
    InlineStates: { _stop: () => seen.push("_stop") },
  });
  await runAndCheck();
  assert.equal(seen, ["one", "two", ["got_server_error", "read", 104, "Connection reset by peer", "number"], ["Disconnected", "shutdown"], "_stop"]);
});

stream("the server closes while the client has output queued: ServerError ('read', 0, ''), the output is dropped, Disconnected", async () => {
  const srv = await rawServer((socket) => {
    socket.once("data", () => {
      socket.pause();
      socket.end();
    });
  });
  const seen: unknown[] = [];
  const chunk = "q".repeat(1 << 20);
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => _[HEAP].server.put("first"),
    ServerFlushed: (_) => {
      if (seen.length > 0) return;
      for (let i = 0; i < 32; i++) _[HEAP].server.put(chunk);
      seen.push(["queued", _[HEAP].server.get_driver_out_octets() > 0]);
    },
    ServerInput: noop,
    ServerError: (_) => seen.push([...errorOf(_), _[HEAP].server.get_driver_out_octets() > 0]),
    Disconnected: (_) => seen.push(["Disconnected", _[STATE], "server" in _[HEAP]]),
  });
  await runAndCheck();
  assert.equal(seen, [["queued", true], ["read", 0, "", "number", true], ["Disconnected", "shutdown", false]]);
});

stream.run();

// ---

const fixes = suite("Client.TCP error flag and reconnect storms");

fixes("the error flag is cleared on reconnect, so a later graceful shutdown still flushes (POE drops the output)", async () => {
  const received: Promise<string>[] = [];
  const srv = await rawServer((socket, n) => {
    received.push(collect(socket));
    if (n === 0) socket.end();
  });
  const payload = "w".repeat(16 << 20);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => {
      seen.push(["Connected", _[HEAP].got_an_error]);
      if (seen.length === 1) return;
      _[HEAP].server.put(payload);
      _[KERNEL].yield("shutdown");
    },
    ServerInput: noop,
    ServerError: (_) => seen.push(errorOf(_)),
    Disconnected: (_) => {
      seen.push(["Disconnected", _[STATE]]);
      if (seen.length < 4) _[KERNEL].yield("reconnect");
    },
  });
  await runKernel();
  const second = await received[1]!;
  await clean();
  assert.equal(seen, [
    ["Connected", undefined],
    ["read", 0, "", "number"],
    ["Disconnected", "shutdown"],
    ["Connected", undefined],
    ["Disconnected", "got_server_flush"],
  ]);
  assert.ok(second === `${payload}\r\n`, "the second connection's output was flushed whole");
});

fixes("a server that drops every connection: reconnects from Disconnected happen only at the program's delay", async () => {
  const srv = await rawServer((socket) => socket.end());
  virtual(3000);
  const times: number[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: () => times.push(POE.time()),
    ServerInput: noop,
    ServerError: noop,
    Disconnected: (_) => {
      if (times.length < 5) _[KERNEL].delay("reconnect", 0.25);
    },
  });
  try {
    await runKernel();
  } finally {
    realTime();
  }
  const connections = srv.sockets.length;
  await clean();
  assert.equal(times, [3000, 3000.25, 3000.5, 3000.75, 3001]);
  assert.is(connections, 5);
});

fixes("refused connects retried from ConnectError happen only at the program's delay", async () => {
  const port = await refusedPort();
  virtual(4000);
  const times: number[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: port,
    ConnectError: (_) => {
      times.push(POE.time());
      if (times.length < 10) _[KERNEL].delay("reconnect", 0.5);
    },
    ServerInput: noop,
  });
  try {
    await runKernel();
  } finally {
    realTime();
  }
  await clean();
  assert.equal(times, Array.from({ length: 10 }, (_, i) => 4000 + i * 0.5));
});

fixes.run();
