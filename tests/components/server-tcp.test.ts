// POE.Component.Server.TCP: constructor parameters, listener and
// connection events, each on real loopback sockets. Ports by intent the
// server half of poe-test-loops comp_tcp.pm and the parameter list of
// Component/Server/TCP.pm.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "node:net";
import { POE, ARG0, ARG1, ARG2, ARG3, HEAP, KERNEL, OBJECT, SENDER, SESSION, STATE } from "../../index.js";
import { AF_INET6, FilterStream, Session, WheelReadWrite, WheelSocketFactory, unpack_sockaddr_in } from "../../index.js";
import { captureWarnings, clean, rawClient, refusedPort, runAndCheck, runKernel } from "./helpers/tcp.js";

const Server = POE.Component.Server.TCP;
const noop = () => {};

/** Start a server and return [listener ID, port]; Started reads the port as the conformance ports do. */
function serve(params: Record<string, unknown>): [number, number] {
  let port = 0;
  const started = params.Started as ((_: any) => void) | undefined;
  const id = Server.new({
    Address: "127.0.0.1",
    Port: 0,
    ...params,
    Started: (_: any) => {
      [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
      started?.(_);
    },
  } as any);
  return [id, port];
}

// ---

const bad = suite("Server.TCP new: bad input");

function throwsBeforeStart(params: any, message: string): void {
  const before = POE.Kernel._sessions.size;
  assert.throws(() => Server.new(params), (e: Error) => e.message === message);
  assert.is(POE.Kernel._sessions.size, before, "no session was started");
}

bad("Acceptor and ClientInput: exactly one is required", () => {
  throwsBeforeStart({ Port: 0 }, "POE::Component::Server::TCP->new() needs either an Acceptor or a ClientInput but not both");
  throwsBeforeStart({ Port: 0, Acceptor: noop, ClientInput: noop }, "POE::Component::Server::TCP->new() needs either an Acceptor or a ClientInput but not both");
});

bad("Client parameters without ClientInput throw", () => {
  throwsBeforeStart({ Acceptor: noop, ClientConnected: noop }, "ClientConnected not permitted without ClientInput");
  throwsBeforeStart({ Acceptor: noop, ClientFilter: "Line" }, "ClientFilter not permitted without ClientInput");
});

bad("callbacks that are not functions throw '<name> must be a coderef'", () => {
  for (const name of ["Acceptor", "Error", "ClientInput", "ClientPreConnect", "ClientConnected", "ClientDisconnected", "ClientError", "ClientFlushed", "Started", "Stopped"]) {
    throwsBeforeStart({ ClientInput: noop, [name]: 1 }, `${name} must be a coderef`);
  }
});

bad("watermarks: all four or none", () => {
  throwsBeforeStart({ ClientInput: noop, HighMark: 10, ClientHigh: noop }, "If you use the Mark settings, you must define all four");
});

bad("array and filter parameters are checked with POE's texts", () => {
  throwsBeforeStart({ ClientInput: noop, ListenerArgs: "x" }, "ListenerArgs must be an array reference");
  throwsBeforeStart({ ClientInput: noop, ClientArgs: "x" }, "ClientArgs must be an array reference");
  throwsBeforeStart({ ClientInput: noop, ClientInputFilter: "Line" }, "ClientInputFilter must be used with ClientOutputFilter");
  throwsBeforeStart({ ClientInput: noop, ClientOutputFilter: "Line" }, "ClientInputFilter must be used with ClientOutputFilter");
  throwsBeforeStart({ ClientInput: noop, InlineStates: [] }, "InlineStates must be a hash reference");
  throwsBeforeStart({ ClientInput: noop, PackageStates: {} }, "PackageStates must be a list or array reference");
  throwsBeforeStart({ ClientInput: noop, ObjectStates: "x" }, "ObjectsStates must be a list or array reference");
  throwsBeforeStart({ ClientInput: noop, SessionParams: {} }, "SessionParams must be an array reference");
});

bad("unknown, deprecated and ignored parameters warn with POE's carp texts", async () => {
  const [, warnings] = await captureWarnings(async () => {
    const [a] = serve({ Acceptor: noop, InlineStates: {}, Foo: 1, Args: [1] });
    const [b] = serve({ ClientInput: noop, Args: [1], ClientArgs: [2], ClientFilter: "Line", ClientInputFilter: "Line", ClientOutputFilter: "Stream" });
    POE.Kernel.post(a, "shutdown");
    POE.Kernel.post(b, "shutdown");
    await runAndCheck();
  });
  assert.equal(warnings, [
    "Args is deprecated but allowed for now.  Please use ClientArgs",
    'POE::Component::Server::TCP->new() doesn\'t recognize "Foo" as a parameter',
    'POE::Component::Server::TCP->new() doesn\'t recognize "InlineStates" as a parameter',
    "Args is deprecated, and ignored since ClientArgs is present",
    "ClientFilter ignored with ClientInputFilter and ClientOutputFilter",
  ]);
});

bad.run();

// ---

const listener = suite("Server.TCP listener: Started, Stopped, ListenerArgs, Alias, shutdown");

listener("new() returns the listener's ID after Started has run with ListenerArgs; the socket is bound by then", async () => {
  const seen: unknown[] = [];
  const [id, port] = serve({
    Alias: "srv",
    ListenerArgs: ["a", 2],
    Started: (_: any) => seen.push([_[STATE], _[SESSION].ID(), _.slice(ARG0), _[HEAP].alias, _[HEAP].concurrency, _[HEAP].connections, _[HEAP].listener instanceof WheelSocketFactory]),
    Stopped: (_: any) => seen.push([_[STATE], _[SESSION].ID()]),
    ClientInput: noop,
  });
  seen.push(["returned", id, port > 0]);
  POE.Kernel.post("srv", "shutdown");
  await runAndCheck();
  assert.equal(seen, [["_start", id, ["a", 2], "srv", -1, 0, true], ["returned", id, true], ["_stop", id]]);
});

listener("Port, Address and Hostname choose where to listen", async () => {
  const fixed = await refusedPort();
  const peers: string[] = [];
  for (const params of [{ Port: fixed, Address: "127.0.0.1" }, { Port: 0, Address: undefined, Hostname: "localhost" }]) {
    const [id, port] = serve({ ...params, ClientInput: noop, ClientConnected: (_: any) => peers.push(_[HEAP].remote_ip) });
    if (params.Port) assert.is(port, fixed);
    const running = runKernel();
    const c = rawClient(port);
    c.socket.once("connect", () => c.socket.end());
    await c.text;
    POE.Kernel.post(id, "shutdown");
    await running;
  }
  await clean();
  assert.equal(peers, ["127.0.0.1", "127.0.0.1"]);
});

listener("Domain AF_INET6 listens on an IPv6 address; without Address it binds ::", async () => {
  const seen: unknown[] = [];
  for (const Address of ["::1", undefined]) {
    let port = 0;
    const id = Server.new({
      Domain: AF_INET6,
      Address,
      Port: 0,
      Started: (_) => {
        port = _[HEAP].listener.getsockname().readUInt16BE(2);
      },
      ClientConnected: (_) => seen.push([_[HEAP].remote_ip, Buffer.isBuffer(_[HEAP].remote_addr) ? _[HEAP].remote_addr.length : -1]),
      ClientInput: noop,
    });
    const running = runKernel();
    const c = rawClient(port, [], "::1");
    c.socket.once("connect", () => c.socket.end());
    await c.text;
    POE.Kernel.post(id, "shutdown");
    await running;
  }
  await clean();
  assert.equal(seen, [["::1", 16], ["::1", 16]]);
});

listener("shutdown stops accepting but lets existing connections finish; Stopped runs after the last one", async () => {
  const seen: string[] = [];
  const [, port] = serve({
    Alias: "srv",
    ClientConnected: () => {
      seen.push("ClientConnected");
      POE.Kernel.post("srv", "shutdown");
    },
    ClientInput: (_: any) => {
      seen.push(`input ${_[ARG0]}`);
      _[HEAP].client.put(`echo ${_[ARG0]}`);
    },
    ClientDisconnected: () => seen.push("ClientDisconnected"),
    Stopped: () => seen.push("Stopped"),
  });
  const first = rawClient(port);
  first.socket.once("connect", () => {
    setTimeout(() => {
      const late = net.connect({ host: "127.0.0.1", port });
      late.on("error", (e: any) => {
        seen.push(`late: ${e.code}`);
        first.socket.end("still here\r\n");
      });
    }, 50);
  });
  await runKernel();
  const echoed = await first.text;
  await clean();
  assert.equal(seen, ["ClientConnected", "late: ECONNREFUSED", "input still here", "ClientDisconnected", "Stopped"]);
  assert.is(echoed, "echo still here\r\n");
});

listener("Error gets listener failures ('bind', 98, 'Address already in use', wheel ID)", async () => {
  const [, port] = serve({ Alias: "first", ClientInput: noop });
  const seen: unknown[] = [];
  Server.new({
    Address: "127.0.0.1",
    Port: port,
    ClientInput: noop,
    Error: (_) => {
      seen.push([_[STATE], _[ARG0], _[ARG1], _[ARG2], typeof _[ARG3]]);
      delete _[HEAP].listener;
    },
  });
  POE.Kernel.post("first", "shutdown");
  await runAndCheck();
  assert.equal(seen, [["tcp_server_got_error", "bind", 98, "Address already in use", "number"]]);
});

listener("the default Error warns '<pid>: Server <id> got bind error ...' and stops listening", async () => {
  const [, port] = serve({ Alias: "first", ClientInput: noop });
  let id = 0;
  const [, warnings] = await captureWarnings(async () => {
    id = Server.new({ Address: "127.0.0.1", Port: port, ClientInput: noop });
    POE.Kernel.post("first", "shutdown");
    await runAndCheck();
  });
  assert.equal(warnings, [`${process.pid}: Server ${id} got bind error 98 (Address already in use)`]);
});

listener("a custom Acceptor gets (socket, packed address, port, wheel ID) in the listener session", async () => {
  const seen: unknown[] = [];
  const [id, port] = serve({
    Acceptor: (_: any) => {
      seen.push([_[STATE], _[SESSION].ID() === id, _[ARG0] instanceof net.Socket, [..._[ARG1]], typeof _[ARG2], typeof _[ARG3], _[HEAP].connections]);
      _[ARG0].destroy();
      _[KERNEL].yield("shutdown");
    },
  });
  const c = rawClient(port);
  await runKernel();
  await c.text;
  await clean();
  assert.equal(seen, [["tcp_server_got_connection", true, true, [127, 0, 0, 1], "number", "number", 1]]);
});

listener.run();

// ---

const conn = suite("Server.TCP connection sessions");

conn("ClientConnected gets ClientArgs; the heap has client, remote_ip, remote_port, remote_addr; sessions are the listener's children", async () => {
  const seen: unknown[] = [];
  const [id, port] = serve({
    ClientArgs: ["x", { y: 1 }],
    ClientConnected: (_: any) => {
      const h = _[HEAP];
      seen.push([_[STATE], _.slice(ARG0), h.client instanceof WheelReadWrite, h.remote_ip, typeof h.remote_port, [...h.remote_addr], h.shutdown, h.shutdown_on_error]);
      seen.push(_[SENDER].ID() === id);
      _[KERNEL].yield("shutdown");
    },
    ClientInput: noop,
  });
  const c = rawClient(port);
  const local = new Promise<number>((r) => c.socket.once("connect", () => r(c.socket.localPort!)));
  POE.Kernel.post(id, "shutdown");
  await runKernel();
  await c.text;
  await clean();
  void local;
  assert.equal(seen, [["_start", ["x", { y: 1 }], true, "127.0.0.1", "number", [127, 0, 0, 1], 0, 1], true]);
});

conn("a client's input, then its EOF: ClientInput per record, ClientError ('read', 0, ''), ClientDisconnected, the listener's disconnected", async () => {
  const seen: unknown[] = [];
  const [, port] = serve({
    Alias: "srv",
    ClientInput: (_: any) => seen.push(["input", _[ARG0], _[ARG1] === _[HEAP].client.ID()]),
    ClientError: (_: any) => seen.push([_[STATE], _[ARG0], _[ARG1], _[ARG2]]),
    ClientDisconnected: (_: any) => {
      seen.push(["ClientDisconnected", _[STATE], "client" in _[HEAP]]);
      POE.Kernel.post("srv", "shutdown");
    },
    InlineStates: { _stop: () => seen.push("connection _stop (user override)") },
    Stopped: (_: any) => seen.push(["Stopped", _[HEAP].connections]),
  });
  const c = rawClient(port, ["a", "b"]);
  c.socket.once("connect", () => c.socket.end());
  await runAndCheck();
  assert.equal(seen, [
    ["input", "a", true],
    ["input", "b", true],
    ["tcp_server_got_error", "read", 0, ""],
    ["ClientDisconnected", "shutdown", true],
    "connection _stop (user override)",
    // The user's _stop replaced the one that tells the listener, so the count stays 1 (as in POE).
    ["Stopped", 1],
  ]);
});

conn("server-initiated shutdown flushes pending output before ClientDisconnected; the default ClientError is silent on EOF", async () => {
  const big = "b".repeat(16 << 20);
  const seen: unknown[] = [];
  const [, port] = serve({
    Alias: "srv",
    ClientInput: (_: any) => {
      _[HEAP].client.put(big);
      _[KERNEL].yield("shutdown");
    },
    ClientFlushed: (_: any) => seen.push(["ClientFlushed", _[HEAP].shutdown]),
    ClientDisconnected: (_: any) => {
      seen.push(["ClientDisconnected", _[STATE]]);
      POE.Kernel.post("srv", "shutdown");
    },
    Stopped: (_: any) => seen.push(["Stopped", _[HEAP].connections]),
  });
  const c = rawClient(port, ["go"]);
  const [, warnings] = await captureWarnings(() => runKernel());
  const got = await c.text;
  await clean();
  assert.equal(seen, [["ClientFlushed", 1], ["ClientDisconnected", "tcp_server_got_flush"], ["Stopped", 0]]);
  assert.ok(got === `${big}\r\n`, "every byte arrived");
  assert.equal(warnings, []);
});

conn("ClientShutdownOnError 0 keeps the connection after an error until the program shuts it down", async () => {
  const seen: unknown[] = [];
  const [, port] = serve({
    Alias: "srv",
    ClientShutdownOnError: 0,
    ClientInput: noop,
    ClientError: (_: any) => {
      seen.push([_[ARG0], _[ARG1], _[HEAP].shutdown_on_error, "got_an_error" in _[HEAP]]);
      _[KERNEL].delay("later", 0.05);
    },
    ClientDisconnected: (_: any) => {
      seen.push(["ClientDisconnected", _[STATE]]);
      POE.Kernel.post("srv", "shutdown");
    },
    InlineStates: {
      later: (_: any) => {
        seen.push(["later", "client" in _[HEAP]]);
        _[KERNEL].yield("shutdown");
      },
    },
  });
  const c = rawClient(port);
  c.socket.once("connect", () => c.socket.end());
  await runAndCheck();
  assert.equal(seen, [["read", 0, 0, false], ["later", true], ["ClientDisconnected", "shutdown"]]);
});

conn("ClientPreConnect gets the socket and ClientArgs; undefined drops the connection without ClientConnected", async () => {
  const seen: unknown[] = [];
  let n = 0;
  const [, port] = serve({
    Alias: "srv",
    ClientArgs: [7],
    ClientPreConnect: (_: any) => {
      seen.push(["ClientPreConnect", _[ARG0] instanceof net.Socket, _[ARG1]]);
      return ++n === 1 ? undefined : _[ARG0];
    },
    ClientConnected: (_: any) => {
      seen.push(["ClientConnected", _.slice(ARG0)]);
      _[KERNEL].yield("shutdown");
    },
    ClientDisconnected: () => seen.push("ClientDisconnected"),
    ClientInput: noop,
    Stopped: (_: any) => seen.push(["Stopped", _[HEAP].connections]),
  });
  const running = runKernel();
  const first = rawClient(port);
  await first.text;
  const second = rawClient(port);
  await second.text;
  POE.Kernel.post("srv", "shutdown");
  await running;
  await clean();
  assert.equal(seen, [
    ["ClientPreConnect", true, [7]],
    ["ClientPreConnect", true, [7]],
    ["ClientConnected", [7]],
    "ClientDisconnected",
    ["Stopped", 0],
  ]);
});

conn("per-connection shutdown can be posted from another session", async () => {
  const seen: unknown[] = [];
  const ids: number[] = [];
  POE.Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("boss"),
      kick: (_) => {
        seen.push(`boss kicks ${_[ARG0] === ids[0]}`);
        _[KERNEL].post(_[ARG0], "shutdown");
        _[KERNEL].alias_remove("boss");
      },
    },
  });
  const [, port] = serve({
    Alias: "srv",
    ClientConnected: (_: any) => {
      ids.push(_[SESSION].ID());
      _[HEAP].client.put("welcome");
      _[KERNEL].post("boss", "kick", _[SESSION].ID());
    },
    ClientDisconnected: () => {
      seen.push("ClientDisconnected");
      POE.Kernel.post("srv", "shutdown");
    },
    ClientInput: noop,
  });
  const c = rawClient(port);
  await runKernel();
  const got = await c.text;
  await clean();
  assert.equal(seen, ["boss kicks true", "ClientDisconnected"]);
  assert.is(got, "welcome\r\n");
});

conn.run();

// ---

const extras = suite("Server.TCP filters, states, session type and watermarks");

async function exchange(params: Record<string, unknown>, send: string): Promise<[unknown[], string]> {
  const seen: unknown[] = [];
  const [, port] = serve({
    Alias: "srv",
    ClientInput: (_: any) => {
      seen.push(_[ARG0]);
      _[HEAP].client.put(`re:${String(_[ARG0])}`);
      _[KERNEL].yield("shutdown");
    },
    ClientDisconnected: () => POE.Kernel.post("srv", "shutdown"),
    ...params,
  });
  const c = rawClient(port);
  c.socket.once("connect", () => c.socket.write(send));
  await runKernel();
  const got = await c.text;
  await clean();
  return [seen, got];
}

extras("ClientFilter takes a name, a class, an instance or [name, { params }]", async () => {
  assert.equal(await exchange({ ClientFilter: ["POE::Filter::Line", { Literal: "|" }] }, "a|"), [["a"], "re:a|"]);
  assert.equal(await exchange({ ClientFilter: "Stream" }, "raw"), [[Buffer.from("raw")], "re:raw"]);
  assert.equal(await exchange({ ClientFilter: FilterStream }, "raw"), [[Buffer.from("raw")], "re:raw"]);
  assert.equal(await exchange({ ClientFilter: POE.Filter.Line.new({ Literal: "!" }) }, "b!"), [["b"], "re:b!"]);
});

extras("ClientInputFilter and ClientOutputFilter filter each direction", async () => {
  assert.equal(await exchange({ ClientInputFilter: "Line", ClientOutputFilter: ["Line", { Literal: "#" }] }, "in\n"), [["in"], "re:in#"]);
});

extras("a ClientFilter name that is no filter warns and falls back to Line, as POE does", async () => {
  const [[result], warnings] = await Promise.all([captureWarnings(() => exchange({ ClientFilter: "POE::Filter::Nope" }, "z\r\n"))]).then(([r]) => [[r[0]], r[1]] as const);
  assert.equal(result, [["z"], "re:z\r\n"]);
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /^Failed to load \[POE::Filter::Nope\]\nReason .*\nUsing default POE::Filter::Line$/s);
});

extras("InlineStates, ObjectStates and PackageStates are reachable in connection sessions", async () => {
  const seen: unknown[] = [];
  class Obj {
    onObj(this: Obj, _: any) {
      seen.push(["obj", _[OBJECT] === this, _[ARG0]]);
      _[KERNEL].yield("pkg", _[ARG0]);
    }
  }
  class Pkg {
    static pkg(_: any) {
      seen.push(["pkg", _[OBJECT] === Pkg, _[ARG0]]);
      _[KERNEL].yield("shutdown");
    }
  }
  await exchange(
    {
      ClientInput: (_: any) => _[KERNEL].yield("inline", _[ARG0]),
      InlineStates: { inline: (_: any) => { seen.push(["inline", _[ARG0]]); _[KERNEL].yield("obj", _[ARG0]); } },
      ObjectStates: [new Obj(), { obj: "onObj" }],
      PackageStates: [Pkg, ["pkg"]],
    },
    "q\n",
  );
  assert.equal(seen, [["inline", "q"], ["obj", true, "q"], ["pkg", true, "q"]]);
});

extras("SessionType and SessionParams make the listener and every connection session", async () => {
  const made: unknown[] = [];
  class Typed extends Session {
    static override create(params: any) {
      made.push(params.options);
      return Session.create(params);
    }
  }
  const [seen] = await exchange({ SessionType: Typed, SessionParams: ["options", { tag: "t" }], ClientConnected: (_: any) => made.push(_[SESSION].option("tag")) }, "hi\n");
  assert.equal(seen, ["hi"]);
  assert.equal(made, [{ tag: "t" }, { tag: "t" }, "t"]);
});

extras("a heap that is a class instance (no Proxy): shutdown still closes the connection and the listener", async () => {
  // SessionParams's heap is the listener's and every connection's (as in
  // POE, one reference for all); without a Proxy the component destroys
  // the wheels it deletes itself, so the peer sees its end and run() returns.
  class SharedHeap {
    [key: string]: unknown;
  }
  const heap = new SharedHeap();
  const [seen, got] = await exchange({ SessionParams: [{ heap }] }, "hi\n");
  assert.equal([seen, got], [["hi"], "re:hi\r\n"]);
  assert.equal(["client" in heap, "listener" in heap], [false, false]);
});

extras("HighMark, LowMark, ClientHigh, ClientLow reach each connection's wheel", async () => {
  const seen: unknown[] = [];
  await exchange(
    {
      HighMark: 1000,
      LowMark: 10,
      ClientHigh: (_: any) => seen.push(_[STATE]),
      ClientLow: (_: any) => seen.push(_[STATE]),
      ClientInput: (_: any) => {
        seen.push(["put", _[HEAP].client.put("h".repeat(4000))]);
        _[KERNEL].yield("shutdown");
      },
    },
    "x\n",
  );
  assert.equal(seen, [["put", true], "tcp_server_got_high", "tcp_server_got_low"]);
});

extras.run();
void ARG2;
void ARG3;
