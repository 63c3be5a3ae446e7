// POE.Component.Client.TCP public events (connect, reconnect, shutdown),
// from the session itself and by alias from another session, and the
// default ConnectError/ServerError handlers. Orders checked against POE
// 1.370 runs of the same programs.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { POE, ARG0, ARG3, HEAP, KERNEL, SENDER, SESSION, STATE } from "../../index.js";
import { captureWarnings, clean, collect, rawServer, refusedPort, runAndCheck, runKernel } from "./helpers/tcp.js";

const Client = POE.Component.Client.TCP;
const noop = () => {};

/** A raw server that greets each connection with "hello <n>" and records what it receives. */
async function greeter() {
  const received: Promise<string>[] = [];
  const srv = await rawServer((socket, n) => {
    received.push(collect(socket));
    socket.write(`hello ${n}\r\n`);
  });
  return { ...srv, received };
}

// ---

const connect = suite("Client.TCP connect and reconnect");

connect("connect(host, port) switches to a new server, and later reconnects go there too", async () => {
  const [a, b] = [await greeter(), await greeter()];
  const seen: string[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: a.port,
    ServerInput: (_) => {
      const h = _[HEAP];
      h.count = (h.count ?? 0) + 1;
      seen.push(`${h.count}: ${_[ARG0]} from ${_[HEAP].server.get_input_handle().remotePort === a.port ? "a" : "b"}`);
      if (h.count === 1) _[KERNEL].yield("connect", "127.0.0.1", b.port);
      else if (h.count === 2) _[KERNEL].yield("reconnect");
      else _[KERNEL].yield("shutdown");
    },
  });
  await runAndCheck();
  assert.equal(seen, ["1: hello 0 from a", "2: hello 0 from b", "3: hello 1 from b"]);
});

connect("connect() without arguments reconnects to the remembered server", async () => {
  const srv = await greeter();
  const seen: string[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => {
      seen.push(_[ARG0]);
      _[KERNEL].yield(seen.length < 2 ? "connect" : "shutdown");
    },
  });
  await runAndCheck();
  assert.equal(seen, ["hello 0", "hello 1"]);
});

connect("reconnect while connected drops the connection without Disconnected, discarding pending output", async () => {
  const srv = await greeter();
  const seen: string[] = [];
  const big = "p".repeat(8 << 20);
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => seen.push(`Connected ${_[HEAP].connected}`),
    ServerInput: (_) => {
      seen.push(`${_[ARG0]} connected=${_[HEAP].connected}`);
      if (_[ARG0] === "hello 0") {
        _[HEAP].server.put(big);
        _[KERNEL].yield("reconnect");
      } else _[KERNEL].yield("shutdown");
    },
    Disconnected: () => seen.push("Disconnected"),
  });
  await runKernel();
  const first = await srv.received[0]!;
  await clean();
  assert.equal(seen, ["Connected 1", "hello 0 connected=1", "Connected 1", "hello 1 connected=1", "Disconnected"]);
  assert.ok(first.length < big.length, "the pending output was not all delivered");
});

connect("clients without states of their own share one table, and each still runs its own callbacks", async () => {
  // Lines of two clients alternate (a, b, a, b): the table's handlers must
  // find each session's own parameters every time, not the last client's.
  const srv = await greeter();
  const seen: unknown[] = [];
  const client = (name: string) =>
    Client.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: srv.port,
      Args: [name],
      Started: (_) => {
        _[HEAP].name = _[ARG0];
        _[HEAP].lines = 0;
      },
      ServerInput: (_) => {
        seen.push([name, _[HEAP].name, ++_[HEAP].lines]);
        _[KERNEL].yield(_[HEAP].lines < 2 ? "reconnect" : "shutdown");
      },
      Disconnected: (_) => seen.push([name, "Disconnected", _[HEAP].name]),
    });
  client("a");
  client("b");
  await runAndCheck();
  const of = (name: string) => seen.filter((entry) => (entry as unknown[])[0] === name);
  assert.equal(of("a"), [["a", "a", 1], ["a", "a", 2], ["a", "Disconnected", "a"]]);
  assert.equal(of("b"), [["b", "b", 1], ["b", "b", 2], ["b", "Disconnected", "b"]]);
  assert.equal(seen.length, 6);
});

connect.run();

// ---

const shutdown = suite("Client.TCP shutdown");

/**
 * A client that puts `lines` lines and yields shutdown on the server's
 * "go"; the server then sends two more lines, which arrive after the
 * shutdown. `extra` are more Client.TCP parameters (they may log to
 * `seen`). Resolves with what the client logged and what the server got.
 */
async function gracefulShutdown(lines: number, extra: (seen: unknown[]) => Record<string, unknown>) {
  const payload = Array.from({ length: lines }, (_, i) => `line ${i} ${"x".repeat(80)}`);
  const srv = await rawServer((socket) => {
    socket.write("go\r\n");
    socket.once("data", () => socket.write("after 1\r\nafter 2\r\n"));
  });
  const received = new Promise<string>((resolve) => srv.server.once("connection", (s) => resolve(collect(s))));
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => {
      seen.push(`input ${_[ARG0]}`);
      for (let i = 0; i < payload.length; i += 10000) _[HEAP].server.put(...payload.slice(i, i + 10000));
      _[KERNEL].yield("shutdown");
    },
    Disconnected: (_) => seen.push(["Disconnected", _[STATE], "server" in _[HEAP]]),
    ...extra(seen),
  });
  await runKernel();
  const got = await received;
  await clean();
  return { seen, complete: got === payload.map((l) => `${l}\r\n`).join("") };
}

shutdown("shutdown is graceful: later input is ignored, pending output is flushed, then Disconnected, then the session ends", async () => {
  const { seen, complete } = await gracefulShutdown(200000, (log) => ({
    ServerFlushed: (_: any) => log.push(["ServerFlushed", _[HEAP].shutdown, _[HEAP].connected]),
    InlineStates: { _stop: () => log.push("_stop") },
  }));
  assert.equal(seen, ["input go", ["ServerFlushed", 1, 0], ["Disconnected", "got_server_flush", false], "_stop"]);
  assert.ok(complete, "every byte arrived before the close");
});

shutdown("a client without states of its own ignores input after shutdown too, and still flushes everything", async () => {
  const { seen, complete } = await gracefulShutdown(50000, () => ({}));
  assert.equal(seen, ["input go", ["Disconnected", "got_server_flush", false]]);
  assert.ok(complete, "every byte arrived before the close");
});

shutdown("shutdown posted by alias from another session, and the client's alias goes away", async () => {
  const srv = await greeter();
  const seen: string[] = [];
  POE.Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("ui"),
      client_ready: (_) => {
        seen.push(`ui: post shutdown -> ${_[KERNEL].post("net", "shutdown")}`);
        _[KERNEL].alias_remove("ui");
      },
    },
  });
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Alias: "net",
    ServerInput: (_) => {
      seen.push(`input ${_[ARG0]}`);
      _[KERNEL].post("ui", "client_ready");
    },
    Disconnected: (_) => seen.push(`Disconnected in ${_[STATE]} from ${senderOf(_)}`),
    InlineStates: { _stop: () => seen.push(`_stop alias=${POE.Kernel.alias_resolve("net") ?? "gone"}`) },
  });
  await runAndCheck();
  assert.equal(seen, ["input hello 0", "ui: post shutdown -> true", "Disconnected in shutdown from other", "_stop alias=gone"]);
});

shutdown("shutdown while connecting aborts the connect with no callback, and the session ends", async () => {
  const srv = await greeter();
  const seen: string[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Started: (_) => _[KERNEL].yield("shutdown"),
    Connected: () => seen.push("Connected"),
    ConnectError: () => seen.push("ConnectError"),
    Disconnected: () => seen.push("Disconnected"),
    ServerInput: noop,
    InlineStates: { _stop: (_) => seen.push(`_stop server=${String(_[HEAP].server)} shutdown=${_[HEAP].shutdown}`) },
  });
  await runAndCheck();
  assert.equal(seen, ["_stop server=undefined shutdown=1"]);
});

shutdown("a client disconnected by the server that does not reconnect ends", async () => {
  const srv = await rawServer((socket) => socket.end("bye\r\n"));
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    ServerInput: (_) => seen.push(_[ARG0]),
    ServerError: (_) => seen.push(_.slice(ARG0, ARG3)),
    Disconnected: () => seen.push("Disconnected"),
    InlineStates: { _stop: () => seen.push("_stop") },
  });
  await runAndCheck();
  assert.equal(seen, ["bye", ["read", 0, ""], "Disconnected", "_stop"]);
});

shutdown("shutdown_on_error = 0 keeps the session after an error until the program shuts it down", async () => {
  const srv = await rawServer((socket) => socket.end("bye\r\n"));
  const seen: unknown[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => {
      _[HEAP].shutdown_on_error = 0;
    },
    ServerInput: (_) => seen.push(_[ARG0]),
    ServerError: (_) => {
      seen.push([..._.slice(ARG0, ARG3), _[HEAP].connected]);
      _[KERNEL].delay("later", 0.05);
    },
    Disconnected: (_) => seen.push(`Disconnected in ${_[STATE]}`),
    InlineStates: {
      later: (_) => {
        seen.push(`later connected=${_[HEAP].connected}`);
        _[KERNEL].yield("shutdown");
      },
    },
  });
  await runAndCheck();
  assert.equal(seen, ["bye", ["read", 0, "", 1], "later connected=1", "Disconnected in shutdown"]);
});

shutdown("put() then yield('shutdown') from Connected waits for the flush, as POE writes only in its next I/O phase", async () => {
  const srv = await greeter();
  const seen: string[] = [];
  Client.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: srv.port,
    Connected: (_) => {
      _[HEAP].server.put("x");
      _[KERNEL].yield("shutdown");
      seen.push("connected");
    },
    ServerInput: noop,
    ServerFlushed: (_) => seen.push(`flushed shutdown=${_[HEAP].shutdown}`),
    Disconnected: (_) => seen.push(`disconnected state=${_[STATE]}`),
  });
  await runAndCheck();
  // POE 1.370 prints the same three lines for the same program.
  assert.equal(seen, ["connected", "flushed shutdown=1", "disconnected state=got_server_flush"]);
  assert.equal(await srv.received[0], "x\r\n");
});

shutdown("without ServerFlushed got_server_flush runs only to end a shutdown that waits for output, and every byte arrives", async () => {
  // The server sends "two" once the echo of "one" is back: two separate writes of the client's.
  const srv = await rawServer((socket) => {
    collect(socket).then((text) => received.push(text));
    socket.write("one\r\n");
    socket.once("data", () => socket.write("two\r\n"));
  });
  const received: string[] = [];
  const seen: unknown[] = [];
  const call = POE.Kernel.call;
  // Count the FlushedEvent dispatches the wheel makes (it calls the kernel's call()).
  (POE.Kernel as any).call = function (this: unknown, dest: unknown, event: string) {
    if (event === "got_server_flush") seen.push("got_server_flush dispatched");
    return call.apply(this, arguments as any);
  };
  try {
    Client.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: srv.port,
      ServerInput: (_) => {
        seen.push(`input ${_[ARG0]}`);
        _[HEAP].server.put(`echo ${_[ARG0]}`);
        if (_[ARG0] === "two") {
          _[HEAP].server.put("bye");
          _[KERNEL].yield("shutdown");
        }
      },
      Disconnected: (_) => seen.push(["Disconnected", _[STATE]]),
    });
    await runAndCheck();
  } finally {
    (POE.Kernel as any).call = call;
  }
  await srv.close();
  assert.equal(seen, ["input one", "input two", "got_server_flush dispatched", ["Disconnected", "got_server_flush"]]);
  assert.equal(received, ["echo one\r\necho two\r\nbye\r\n"]);
});

shutdown.run();

// ---

const defaults = suite("Client.TCP default ConnectError and ServerError");

defaults("the default ConnectError warns 'Client <id> got connect error 111 (Connection refused)' and the session ends", async () => {
  const port = await refusedPort();
  let id = 0;
  const [, warnings] = await captureWarnings(async () => {
    id = Client.new({ RemoteAddress: "127.0.0.1", RemotePort: port, ServerInput: noop });
    await runAndCheck();
  });
  assert.equal(warnings, [`Client ${id} got connect error 111 (Connection refused)`]);
});

defaults("the default ServerError warns '(Normal disconnection)' for EOF, shuts down, and Disconnected runs once", async () => {
  const srv = await rawServer((socket) => socket.end());
  const seen: string[] = [];
  let id = 0;
  const [, warnings] = await captureWarnings(async () => {
    id = Client.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: srv.port,
      ServerInput: noop,
      Disconnected: (_) => seen.push(`Disconnected in ${_[STATE]}`),
      InlineStates: { _stop: () => seen.push("_stop") },
    });
    await runAndCheck();
  });
  assert.equal(warnings, [`Client ${id} got read error 0 (Normal disconnection)`]);
  assert.equal(seen, ["Disconnected in shutdown", "_stop"]);
});

defaults("the default ServerError gives the errno text for a reset", async () => {
  const srv = await rawServer((socket) => {
    socket.write("x\r\n");
    socket.once("data", () => socket.resetAndDestroy());
  });
  let id = 0;
  const [, warnings] = await captureWarnings(async () => {
    id = Client.new({ RemoteAddress: "127.0.0.1", RemotePort: srv.port, ServerInput: (_) => _[HEAP].server.put("y") });
    await runAndCheck();
  });
  assert.equal(warnings, [`Client ${id} got read error 104 (Connection reset by peer)`]);
});

defaults.run();

// Who sent an event, as "self" or "other", for the order logs.
function senderOf(_: any): string {
  return _[SENDER] === _[SESSION] ? "self" : "other";
}
