// POE.Component.Client.TCP: constructor parameters, each on real loopback
// sockets. Ports by intent the constructor checks of poe-test-loops
// comp_tcp.pm and the parameter list of Component/Client/TCP.pm.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "node:net";
import { POE, ARG0, ARG1, ARG2, ARG3, HEAP, KERNEL, SESSION, STATE, OBJECT } from "../../index.js";
import { AF_INET6, PF_INET6, FilterLine, FilterStream, WheelReadWrite, WheelSocketFactory, Session } from "../../index.js";
import { captureWarnings, clean, collect, rawServer, refusedPort, runAndCheck, runKernel } from "./helpers/tcp.js";

const Client = POE.Component.Client.TCP;
const noop = () => {};

// A server that sends `lines`, then closes after the client sends "bye".
function lineServer(lines: string[], host = "127.0.0.1") {
  const received: Promise<string>[] = [];
  return rawServer((socket) => {
    received.push(collect(socket));
    socket.write(lines.map((l) => `${l}\r\n`).join(""));
    socket.on("data", (d) => {
      if (String(d).includes("bye")) socket.end();
    });
  }, host).then((server) => ({ ...server, received }));
}

// ---

const bad = suite("Client.TCP new: bad input");

const base = () => ({ RemoteAddress: "127.0.0.1", RemotePort: 1, ServerInput: noop }) as any;

function throwsBeforeStart(params: any, message: string | RegExp): void {
  const before = POE.Kernel._sessions.size;
  assert.throws(() => Client.new(params), (e: Error) => (typeof message === "string" ? e.message === message : message.test(e.message)));
  assert.is(POE.Kernel._sessions.size, before, "no session was started");
}

bad("a missing RemoteAddress throws POE's croak text", () => {
  const p = base();
  delete p.RemoteAddress;
  throwsBeforeStart(p, "POE::Component::Client::TCP->new() needs a RemoteAddress parameter");
});

bad("a missing RemotePort throws POE's croak text", () => {
  const p = base();
  delete p.RemotePort;
  throwsBeforeStart(p, "POE::Component::Client::TCP->new() needs a RemotePort parameter");
});

bad("a missing or undefined ServerInput throws POE's croak text", () => {
  const p = base();
  delete p.ServerInput;
  throwsBeforeStart(p, "POE::Component::Client::TCP->new() requires a ServerInput parameter");
  throwsBeforeStart({ ...base(), ServerInput: undefined }, "POE::Component::Client::TCP->new() requires a ServerInput parameter");
});

bad("each callback that is not a function throws '<name> must be a coderef'", () => {
  for (const name of ["PreConnect", "Connected", "ConnectError", "Disconnected", "ServerInput", "ServerError", "ServerFlushed", "Started"]) {
    throwsBeforeStart({ ...base(), [name]: "not code" }, `${name} must be a coderef`);
  }
  const marks = { HighMark: 10, LowMark: 5, ServerHigh: noop, ServerLow: noop };
  throwsBeforeStart({ ...base(), ...marks, ServerHigh: 1 }, "ServerHigh must be a coderef");
  throwsBeforeStart({ ...base(), ...marks, ServerLow: {} }, "ServerLow must be a coderef");
});

bad("Args that is not an array throws", () => {
  throwsBeforeStart({ ...base(), Args: { a: 1 } }, "Args must be an array reference");
  throwsBeforeStart({ ...base(), Args: "x" }, "Args must be an array reference");
});

bad("only some of the four watermark parameters throws", () => {
  const all: Record<string, unknown> = { HighMark: 256, LowMark: 64, ServerHigh: noop, ServerLow: noop };
  for (const drop of [["LowMark", "ServerHigh", "ServerLow"], ["HighMark", "ServerHigh", "ServerLow"], ["HighMark", "LowMark", "ServerLow"], ["HighMark", "LowMark", "ServerHigh"], ["HighMark"]]) {
    const p = { ...base(), ...all };
    for (const k of drop) delete p[k];
    throwsBeforeStart(p, "If you use the Mark settings, you must define all four");
  }
});

bad("*States of the wrong type throw POE's croak texts", () => {
  throwsBeforeStart({ ...base(), InlineStates: "Not a reference" }, "InlineStates must be a hash reference");
  throwsBeforeStart({ ...base(), InlineStates: [] }, "InlineStates must be a hash reference");
  throwsBeforeStart({ ...base(), PackageStates: "Not a reference" }, "PackageStates must be a list or array reference");
  throwsBeforeStart({ ...base(), ObjectStates: {} }, "ObjectStates must be a list or array reference");
});

bad("SessionParams that is a reference but not an array throws; a plain value is ignored", async () => {
  throwsBeforeStart({ ...base(), SessionParams: () => "Not an array reference" }, "SessionParams must be an array reference");
  throwsBeforeStart({ ...base(), SessionParams: { options: {} } }, "SessionParams must be an array reference");
  const port = await refusedPort();
  const log: string[] = [];
  Client.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SessionParams: "ignored" as any, ServerInput: noop, ConnectError: () => log.push("ConnectError") });
  await runAndCheck();
  assert.equal(log, ["ConnectError"]);
});

bad("parameters that are not one object throw", () => {
  throwsBeforeStart(undefined, /POE::Component::Client::TCP->new\(\) requires its parameters as one object/);
  throwsBeforeStart(["RemoteAddress", "x"], /requires its parameters as one object/);
});

bad("unknown parameters warn once each, sorted, with POE's carp text, and the client still runs", async () => {
  const port = await refusedPort();
  const [, warnings] = await captureWarnings(async () => {
    Client.new({ ...base(), RemotePort: port, Zebra: 1, Odd: "Elephant", ConnectError: noop } as any);
    await runAndCheck();
  });
  assert.equal(warnings, [
    'POE::Component::Client::TCP->new() doesn\'t recognize "Odd" as a parameter',
    'POE::Component::Client::TCP->new() doesn\'t recognize "Zebra" as a parameter',
  ]);
});

bad.run();

// ---

const start = suite("Client.TCP new: Started, Args, the returned ID and the reserved heap keys");

start("returns the session ID; Started runs in _start with Args as ARG0.. after reconnect is queued", async () => {
  const port = await refusedPort();
  const seen: unknown[] = [];
  const id = Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: port,
    Args: ["arg0", { k: 1 }],
    Started: (_) => {
      seen.push(_[STATE], _[SESSION].ID(), _.slice(ARG0), POE.Kernel.get_event_count());
      seen.push({ ...(_[HEAP] as object) });
    },
    ConnectError: noop,
    ServerInput: noop,
  });
  seen.push(`returned ${id}`);
  await runAndCheck();
  const sid = seen[1];
  assert.equal(seen, ["_start", sid, ["arg0", { k: 1 }], 1, { shutdown_on_error: 1 }, `returned ${sid}`]);
});

start("heap.server is a SocketFactory while connecting and a ReadWrite once connected; connected and shutdown flags follow", async () => {
  const srv = await lineServer(["hello"]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Started: (_) => seen.push(["Started", _[HEAP].server]),
    Connected: (_) => {
      const h = _[HEAP];
      seen.push(["Connected", h.server instanceof WheelReadWrite, h.connected, h.shutdown, h.shutdown_on_error]);
    },
    ServerInput: (_) => {
      seen.push(["ServerInput", _[ARG0]]);
      _[KERNEL].yield("shutdown");
    },
    Disconnected: (_) => seen.push(["Disconnected", _[HEAP].server, _[HEAP].connected, _[HEAP].shutdown]),
  });
  await runAndCheck();
  assert.equal(seen, [
    ["Started", undefined],
    ["Connected", true, 1, 0, 1],
    ["ServerInput", "hello"],
    ["Disconnected", undefined, 0, 1],
  ]);
});

start("heap.server is a SocketFactory between reconnect and the connection", async () => {
  const srv = await lineServer([]);
  let kind = "";
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: noop,
    InlineStates: {
      _start: (_) => {
        _[KERNEL].yield("reconnect");
        _[KERNEL].yield("probe");
      },
      probe: (_) => {
        kind = _[HEAP].server instanceof WheelSocketFactory ? "SocketFactory" : String(_[HEAP].server);
        _[KERNEL].yield("shutdown");
      },
    },
  });
  await runAndCheck();
  await srv.close();
  assert.is(kind, "SocketFactory");
});

start.run();

// ---

const connected = suite("Client.TCP Connected, ServerInput, ServerFlushed, Disconnected");

connected("Connected gets (socket, packed peer address, peer port, SocketFactory wheel ID) in got_connect_success", async () => {
  const srv = await lineServer([]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => {
      seen.push(_[STATE], _[ARG0] instanceof net.Socket, Buffer.isBuffer(_[ARG1]) ? [..._[ARG1]] : _[ARG1], _[ARG2]);
      seen.push(typeof _[ARG3] === "number" && _[ARG3] !== _[HEAP].server.ID());
      _[KERNEL].yield("shutdown");
    },
    ServerInput: noop,
  });
  await runAndCheck();
  await srv.close();
  assert.equal(seen, ["got_connect_success", true, [127, 0, 0, 1], srv.port, true]);
});

connected("ServerInput gets each record and the ReadWrite wheel ID, in order", async () => {
  const srv = await lineServer(["one", "two", "three"]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => {
      seen.push([_[STATE], _[ARG0], _[ARG1] === _[HEAP].server.ID()]);
      if (_[ARG0] === "three") _[KERNEL].yield("shutdown");
    },
  });
  await runAndCheck();
  await srv.close();
  assert.equal(seen, [
    ["got_server_input", "one", true],
    ["got_server_input", "two", true],
    ["got_server_input", "three", true],
  ]);
});

connected("ServerFlushed gets the wheel ID after each flush; with output pending, Disconnected follows the shutdown's flush", async () => {
  const srv = await lineServer([]);
  const second = "s".repeat(4 << 20);
  const seen: unknown[] = [];
  let wheelId = 0;
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => {
      wheelId = _[HEAP].server.ID();
      _[HEAP].server.put("first");
    },
    ServerFlushed: (_) => {
      seen.push(["ServerFlushed", _[STATE], _[ARG0] === wheelId]);
      if (!_[HEAP].shutdown) {
        _[HEAP].server.put(second);
        _[KERNEL].yield("shutdown");
      }
    },
    Disconnected: (_) => seen.push(["Disconnected", _[STATE], _[ARG0] === wheelId, _[HEAP].connected]),
    ServerInput: noop,
  });
  await runKernel();
  const got = await srv.received[0];
  await clean();
  assert.equal(seen, [
    ["ServerFlushed", "got_server_flush", true],
    ["ServerFlushed", "got_server_flush", true],
    ["Disconnected", "got_server_flush", true, 0],
  ]);
  assert.ok(got === `first\r\n${second}\r\n`, "every byte arrived");
});

connected("Disconnected from a shutdown with nothing pending runs in the shutdown event, after heap.server is gone", async () => {
  const srv = await lineServer(["x"]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => _[KERNEL].yield("shutdown"),
    Disconnected: (_) => seen.push(_[STATE], "server" in _[HEAP], _[HEAP].connected, _[HEAP].shutdown),
    InlineStates: { _stop: () => seen.push("_stop") },
  });
  await runAndCheck();
  await srv.close();
  assert.equal(seen, ["shutdown", false, 0, 1, "_stop"]);
});

connected.run();

// ---

const filters = suite("Client.TCP Filter");

async function roundTrip(filter: unknown, send: unknown, reply: string): Promise<[unknown[], string]> {
  const srv = await rawServer((socket) => {
    socket.write(reply);
    socket.once("data", () => setTimeout(() => socket.end(), 20));
  });
  const received = new Promise<string>((resolve) => srv.server.once("connection", (s) => resolve(collect(s))));
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Filter: filter,
    Connected: (_) => _[HEAP].server.put(send),
    ServerInput: (_) => seen.push(_[ARG0]),
    ServerError: (_) => _[KERNEL].yield("shutdown"),
  });
  await runKernel();
  const got = await received;
  await clean();
  return [seen, got.replace(/^$/, "")];
}

filters("the default is a Line filter: any newline in, CRLF out", async () => {
  assert.equal(await roundTrip(undefined, "hi", "a\nb\r\nc\r"), [["a", "b", "c"], "hi\r\n"]);
});

filters("a class name, short or long, makes a new filter", async () => {
  assert.equal(await roundTrip("POE::Filter::Line", "x", "a\n"), [["a"], "x\r\n"]);
  assert.equal(await roundTrip("Stream", "raw", "abc"), [[Buffer.from("abc")], "raw"]);
});

filters("a class makes a new filter", async () => {
  assert.equal(await roundTrip(FilterStream, "raw", "abc"), [[Buffer.from("abc")], "raw"]);
});

filters("[name, { params }] and [class, { params }] pass the parameters", async () => {
  assert.equal(await roundTrip(["POE::Filter::Line", { Literal: "|" }], "x", "a|b|"), [["a", "b"], "x|"]);
  assert.equal(await roundTrip([FilterLine, { Literal: "|" }], "y", "c|"), [["c"], "y|"]);
});

filters("an instance is cloned for each connection and itself left untouched", async () => {
  const filter = FilterLine.new({ Literal: "!" });
  assert.equal(await roundTrip(filter, "x", "a!b"), [["a"], "x!"]);
  assert.equal(filter.get_pending(), undefined);
  assert.equal(await roundTrip(filter, "y", "c!"), [["c"], "y!"]);
});

filters("a Filter that is not a filter throws from new()", () => {
  assert.throws(() => Client.new({ ...base(), Filter: 42 }), /Filter 42|not a filter/);
  assert.throws(() => Client.new({ ...base(), Filter: "POE::Filter::Nope" }), /not a known filter class/);
});

filters.run();

// ---

const address = suite("Client.TCP RemoteAddress, RemotePort, Domain, BindAddress, BindPort");

async function connectsTo(params: Record<string, unknown>, host = "127.0.0.1"): Promise<[string, number]> {
  const srv = await rawServer(() => {}, host);
  const peer = new Promise<[string, number]>((resolve) => srv.server.once("connection", (s) => resolve([s.remoteAddress!, s.remotePort!])));
  Client.new({ RemotePort: srv.port, ...params, Connected: (_: any) => _[KERNEL].yield("shutdown"), ServerInput: noop } as any);
  await runAndCheck();
  const got = await peer;
  await srv.close();
  return got;
}

address("RemoteAddress may be a dotted quad, a host name, a packed address, or undefined for 127.0.0.1", async () => {
  assert.is((await connectsTo({ RemoteAddress: "127.0.0.1" }))[0], "127.0.0.1");
  assert.is((await connectsTo({ RemoteAddress: "localhost" }))[0], "127.0.0.1");
  assert.is((await connectsTo({ RemoteAddress: Buffer.from([127, 0, 0, 1]) }))[0], "127.0.0.1");
  assert.is((await connectsTo({ RemoteAddress: undefined }))[0], "127.0.0.1");
});

address("Domain AF_INET6 or PF_INET6 connects to an IPv6 literal", async () => {
  assert.is((await connectsTo({ RemoteAddress: "::1", Domain: AF_INET6 }, "::1"))[0], "::1");
  assert.is((await connectsTo({ RemoteAddress: "::1", Domain: PF_INET6 }, "::1"))[0], "::1");
});

address("RemotePort may be a service name", async () => {
  const seen: unknown[] = [];
  Client.new({ RemoteAddress: "127.0.0.1", RemotePort: "tcpmux", ServerInput: noop, ConnectError: (_) => seen.push(_.slice(ARG0, ARG3)) });
  await runAndCheck();
  assert.equal(seen, [["connect", 111, "Connection refused"]]);
});

address("BindAddress and BindPort choose the local end", async () => {
  const local = await refusedPort();
  assert.equal(await connectsTo({ RemoteAddress: "127.0.0.1", BindAddress: "127.0.0.1", BindPort: local }), ["127.0.0.1", local]);
});

address.run();

// ---

const sessions = suite("Client.TCP Alias, SessionType, SessionParams, InlineStates, ObjectStates, PackageStates");

sessions("Alias names the session while it runs", async () => {
  const srv = await lineServer([]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Alias: "my client",
    Started: (_) => seen.push(POE.Kernel.alias_resolve("my client") === _[SESSION]),
    Connected: () => POE.Kernel.post("my client", "shutdown"),
    Disconnected: (_) => seen.push(POE.Kernel.alias_resolve("my client") === _[SESSION]),
    ServerInput: noop,
    InlineStates: { _stop: () => seen.push(POE.Kernel.alias_resolve("my client")) },
  });
  await runAndCheck();
  assert.equal(seen, [true, true, undefined]);
});

sessions("SessionType creates the session; SessionParams lead its create() parameters in both list forms", async () => {
  const created: unknown[] = [];
  class Traced extends Session {
    static override create(params: any) {
      created.push(Object.keys(params).sort(), params.options);
      return Session.create(params);
    }
  }
  const port = await refusedPort();
  const seen: unknown[] = [];
  for (const SessionParams of [["options", { mark: 7 }], [{ options: { mark: 8 } }]]) {
    Client.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: port,
      SessionType: Traced as any,
      SessionParams,
      Started: (_) => seen.push(_[SESSION].option("mark")),
      ConnectError: noop,
      ServerInput: noop,
    });
  }
  await runAndCheck();
  const keys = ["args", "inline_states", "object_states", "options", "package_states"];
  assert.equal(created, [keys, { mark: 7 }, keys, { mark: 8 }]);
  assert.equal(seen, [7, 8]);
});

sessions("a heap that is a class instance (no Proxy): shutdown still closes the connection and the session ends", async () => {
  // Only a plain-object heap gets the Proxy that destroys what leaves it;
  // the component destroys heap.server itself, so with any heap the socket
  // closes, the server sees its end, and run() returns.
  class ClientHeap {
    lines: string[] = [];
    [key: string]: unknown;
  }
  const srv = await lineServer(["hello"]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    SessionParams: [{ heap: new ClientHeap() }],
    ServerInput: (_) => {
      seen.push(["input", _[ARG0], _[HEAP] instanceof ClientHeap]);
      _[HEAP].server.put("bye");
      _[KERNEL].yield("shutdown");
    },
    Disconnected: (_) => seen.push(["disconnected", "server" in _[HEAP]]),
  });
  await runKernel();
  assert.equal(await srv.received[0], "bye\r\n");
  await clean();
  assert.equal(seen, [["input", "hello", true], ["disconnected", false]]);
});

sessions("InlineStates are merged last and override the component's own states", async () => {
  const srv = await lineServer(["a", "b"]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: () => seen.push("component ServerInput (unexpected)"),
    InlineStates: {
      got_server_input: (_) => {
        seen.push(`mine ${_[ARG0]}`);
        if (_[ARG0] === "b") _[KERNEL].yield("shutdown");
      },
      _stop: () => seen.push("my _stop"),
    },
  });
  await runAndCheck();
  await srv.close();
  assert.equal(seen, ["mine a", "mine b", "my _stop"]);
});

sessions("ObjectStates and PackageStates add handlers reachable by event", async () => {
  const srv = await lineServer(["go"]);
  const seen: unknown[] = [];
  class Counter {
    n = 0;
    tick(this: Counter, _: any) {
      this.n += 1;
      seen.push(["tick", _[OBJECT] === this, _[ARG0]]);
      _[KERNEL].yield("tock", this.n);
    }
  }
  class Handlers {
    static onTock(_: any) {
      seen.push(["tock", _[OBJECT] === Handlers, _[ARG0]]);
      _[KERNEL].yield("shutdown");
    }
  }
  const counter = new Counter();
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => _[KERNEL].yield("tick", _[ARG0]),
    ObjectStates: [counter, ["tick"]],
    PackageStates: [Handlers, { tock: "onTock" }],
  });
  await runAndCheck();
  await srv.close();
  assert.equal(seen, [["tick", true, "go"], ["tock", true, 1]]);
});

sessions("clients without states of their own share one state table, each with its own parameters, none of them in the heap's keys", async () => {
  const servers = [await lineServer(["a1", "a2"]), await lineServer(["b1"])];
  const seen: Record<string, unknown[]> = { A: [], B: [] };
  const ids = servers.map((srv, i) => {
    const name = "AB"[i] as string;
    return Client.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: srv.port,
      Args: [name],
      Started: (_) => seen[name]!.push(["Started", _.slice(ARG0)]),
      Connected: (_) => seen[name]!.push(["Connected", Object.keys(_[HEAP]).sort(), Object.keys({ ..._[HEAP] }).length]),
      ServerInput: (_) => {
        seen[name]!.push(["ServerInput", _[ARG0]]);
        if (_[ARG0] === `${name.toLowerCase()}${name === "A" ? 2 : 1}`) _[KERNEL].yield("shutdown");
      },
      Disconnected: () => seen[name]!.push("Disconnected"),
    });
  });
  const tables = ids.map((id) => (POE.Kernel as any)._resolve(id)._states);
  await runAndCheck();
  for (const srv of servers) await srv.close();
  const heapKeys = ["connected", "server", "shutdown", "shutdown_on_error"];
  assert.ok(tables[0] === tables[1], "one state table");
  assert.equal(seen, {
    A: [["Started", ["A"]], ["Connected", heapKeys, 4], ["ServerInput", "a1"], ["ServerInput", "a2"], "Disconnected"],
    B: [["Started", ["B"]], ["Connected", heapKeys, 4], ["ServerInput", "b1"], "Disconnected"],
  });
});

sessions.run();

// ---

const pre = suite("Client.TCP PreConnect");

pre("PreConnect gets the socket and returns the one to use", async () => {
  const srv = await lineServer(["hi"]);
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    PreConnect: (_) => {
      seen.push(["PreConnect", _[STATE], _[ARG0] instanceof net.Socket, _[HEAP].server instanceof WheelSocketFactory]);
      return _[ARG0];
    },
    Connected: () => seen.push("Connected"),
    ServerInput: (_) => {
      seen.push(_[ARG0]);
      _[KERNEL].yield("shutdown");
    },
  });
  await runAndCheck();
  await srv.close();
  assert.equal(seen, [["PreConnect", "got_connect_success", true, true], "Connected", "hi"]);
});

pre("a false PreConnect result drops the connection: no Connected, no Disconnected, connected 0, the session ends", async () => {
  const srv = await rawServer(() => {});
  const closed = new Promise<string>((resolve) => srv.server.once("connection", (s) => resolve(collect(s))));
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    PreConnect: () => undefined,
    Connected: () => seen.push("Connected"),
    Disconnected: () => seen.push("Disconnected"),
    ConnectError: () => seen.push("ConnectError"),
    ServerInput: noop,
    InlineStates: { _stop: (_) => seen.push(["_stop", _[HEAP].connected]) },
  });
  await runAndCheck();
  assert.is(await closed, "");
  await srv.close();
  assert.equal(seen, [["_stop", 0]]);
});

pre.run();

// ---

const marks = suite("Client.TCP HighMark, LowMark, ServerHigh, ServerLow");

// poe-ts's ReadWrite queues HighEvent when put() crosses HighMark (POE's
// practically never fires; docs/wheels/read-write.md), so ServerHigh runs too.
marks("put() reports high water and ServerHigh runs; ServerLow runs when the buffer drains, before ServerFlushed", async () => {
  const srv = await rawServer(() => {});
  const received = new Promise<string>((resolve) => srv.server.once("connection", (s) => resolve(collect(s))));
  const seen: unknown[] = [];
  const big = "z".repeat(5000);
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    HighMark: 1000,
    LowMark: 100,
    ServerHigh: (_) => seen.push(["ServerHigh", _[STATE]]),
    ServerLow: (_) => seen.push(["ServerLow", _[STATE], _[ARG0] === _[HEAP].server.ID()]),
    Connected: (_) => seen.push(["put", _[HEAP].server.put(big)]),
    ServerFlushed: (_) => {
      seen.push("ServerFlushed");
      _[KERNEL].yield("shutdown");
    },
    ServerInput: noop,
  });
  await runKernel();
  assert.is((await received).length, 5002);
  await clean();
  assert.equal(seen, [["put", true], ["ServerHigh", "got_high"], ["ServerLow", "got_low", true], "ServerFlushed"]);
});

marks.run();
