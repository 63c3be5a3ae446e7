// POE.Component.Server.TCP Concurrency, set_concurrency and disconnected,
// including the two POE edge cases this port fixes (Concurrency 0 accepts
// one connection in POE; set_concurrency(-1) never resumes a paused
// listener), and 1000 concurrent Client.TCP clients with nothing lost.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { POE, ARG0, HEAP, KERNEL, unpack_sockaddr_in } from "../../index.js";
import { captureWarnings, clean, rawClient, runAndCheck, runKernel } from "./helpers/tcp.js";

const Server = POE.Component.Server.TCP;
const Client = POE.Component.Client.TCP;
const noop = () => {};

/** A server whose connections answer "n=<open connections>" to every line; returns its port. */
function countingServer(params: Record<string, unknown>, log: string[]): number {
  let port = 0;
  Server.new({
    Alias: "srv",
    Address: "127.0.0.1",
    Port: 0,
    Started: (_: any) => {
      [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    ClientConnected: (_: any) => {
      log.push(`connected ${_[ARG0]}`);
      _[HEAP].client.put("welcome");
    },
    ClientArgs: [],
    ClientInput: (_: any) => {
      log.push(`input ${_[ARG0]}`);
      _[KERNEL].yield("shutdown");
    },
    ClientDisconnected: () => log.push("disconnected"),
    ...params,
  } as any);
  return port;
}

/** Open `n` raw clients at once; each sends its name after `welcome`, and the texts resolve at close. */
function clients(port: number, names: string[]) {
  return names.map((name) => {
    const c = rawClient(port);
    c.socket.setEncoding("latin1");
    c.socket.on("data", (d: string) => {
      if (d.includes("welcome")) c.socket.write(`${name}\r\n`);
    });
    return c.text;
  });
}

// ---

const limit = suite("Server.TCP Concurrency");

limit("Concurrency 1 serves one connection at a time; the next is accepted when the first ends", async () => {
  const log: string[] = [];
  const port = countingServer({ Concurrency: 1 }, log);
  const running = runKernel();
  const texts = clients(port, ["a", "b", "c"]);
  await Promise.all(texts);
  POE.Kernel.post("srv", "shutdown");
  await running;
  await clean();
  // Accepted strictly one after another: every connect is followed by its disconnect.
  assert.is(log.length, 9);
  for (let i = 0; i < 9; i += 3) {
    assert.is(log[i], "connected undefined");
    assert.match(log[i + 1]!, /^input [abc]$/);
    assert.is(log[i + 2], "disconnected");
  }
});

limit("Concurrency 0 accepts nothing until set_concurrency raises it (POE accepts one)", async () => {
  const log: string[] = [];
  const port = countingServer({ Concurrency: 0 }, log);
  const running = runKernel();
  const [text] = clients(port, ["a"]);
  setTimeout(() => {
    log.push("raise");
    POE.Kernel.post("srv", "set_concurrency", 1);
  }, 100);
  await text;
  POE.Kernel.post("srv", "shutdown");
  await running;
  await clean();
  assert.equal(log, ["raise", "connected undefined", "input a", "disconnected"]);
});

limit("set_concurrency(-1) resumes a listener paused at its limit (POE leaves it paused)", async () => {
  const log: string[] = [];
  const port = countingServer(
    {
      Concurrency: 1,
      ClientConnected: (_: any) => {
        log.push("connected");
        _[HEAP].client.put("welcome");
      },
    },
    log,
  );
  const running = runKernel();
  // The first client never answers, so it holds the only slot.
  const first = rawClient(port);
  await new Promise((r) => first.socket.once("data", r));
  const [second, third] = clients(port, ["b", "c"]);
  setTimeout(() => {
    log.push("unlimited");
    POE.Kernel.post("srv", "set_concurrency", -1);
  }, 100);
  await Promise.all([second, third]);
  first.socket.end();
  await first.text;
  POE.Kernel.post("srv", "shutdown");
  await running;
  await clean();
  assert.equal(log.slice(0, 2), ["connected", "unlimited"]);
  assert.equal(log.filter((l) => l === "connected").length, 3);
  assert.equal(log.filter((l) => l.startsWith("input")).sort(), ["input b", "input c"]);
});

limit("set_concurrency below the open count pauses, and the heap tracks concurrency and connections", async () => {
  const log: string[] = [];
  let port = 0;
  Server.new({
    Alias: "srv",
    Address: "127.0.0.1",
    Port: 0,
    Started: (_) => {
      [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    Acceptor: (_) => {
      log.push(`accepted, connections=${_[HEAP].connections} concurrency=${_[HEAP].concurrency}`);
      _[ARG0].end("bye\r\n");
      _[KERNEL].yield("set_concurrency", 1);
    },
  });
  const running = runKernel();
  const first = rawClient(port);
  await first.text;
  const second = rawClient(port);
  setTimeout(() => {
    log.push("disconnected");
    POE.Kernel.post("srv", "disconnected");
  }, 100);
  await second.text;
  POE.Kernel.post("srv", "shutdown");
  await running;
  await clean();
  assert.equal(log, ["accepted, connections=1 concurrency=-1", "disconnected", "accepted, connections=1 concurrency=1"]);
});

limit("an excessive 'disconnected' warns and the count stays at 0", async () => {
  const seen: unknown[] = [];
  const [, warnings] = await captureWarnings(async () => {
    Server.new({
      Alias: "srv",
      Address: "127.0.0.1",
      Port: 0,
      ClientInput: noop,
      Started: (_) => _[KERNEL].yield("disconnected"),
      InlineStates: {},
    });
    POE.Session.create({
      inline_states: {
        _start: (_) => _[KERNEL].yield("check"),
        check: (_) => {
          seen.push((POE.Kernel.alias_resolve("srv") as any).get_heap().connections);
          _[KERNEL].post("srv", "shutdown");
        },
      },
    });
    await runAndCheck();
  });
  assert.equal(seen, [0]);
  assert.equal(warnings, ["Excessive 'disconnected' event from (unknown file) at line (unknown line)"]);
});

limit.run();

// ---

const many = suite("Server.TCP with 1000 concurrent Client.TCP clients");

many("1000 clients each exchange 10 lines with one server; every line arrives and every session ends", async () => {
  const C = 1000;
  const EXCHANGES = 10;
  let port = 0;
  let serverLines = 0;
  let disconnected = 0;
  Server.new({
    Alias: "echo",
    Address: "127.0.0.1",
    Port: 0,
    Started: (_) => {
      [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    },
    ClientInput: (_) => {
      serverLines++;
      _[HEAP].client.put(_[ARG0]);
    },
    ClientDisconnected: () => {
      if (++disconnected === C) POE.Kernel.post("echo", "shutdown");
    },
  });
  const lineFor = (c: number, k: number) => `c${c} k${k}`.padEnd(99, "x");
  let echoes = 0;
  const errors: string[] = [];
  for (let c = 1; c <= C; c++) {
    Client.new({
      RemoteAddress: "127.0.0.1",
      RemotePort: port,
      Args: [c],
      Started: (_) => {
        _[HEAP].c = _[ARG0];
        _[HEAP].k = 0;
      },
      Connected: (_) => _[HEAP].server.put(lineFor(_[HEAP].c, 0)),
      ConnectError: (_) => errors.push(`connect ${_[ARG0]}`),
      ServerInput: (_) => {
        const h = _[HEAP];
        if (_[ARG0] !== lineFor(h.c, h.k)) errors.push(`client ${h.c} bad echo`);
        echoes++;
        if (++h.k < EXCHANGES) h.server.put(lineFor(h.c, h.k));
        else _[KERNEL].yield("shutdown");
      },
    });
  }
  await runAndCheck(50_000);
  assert.equal(errors, []);
  assert.is(echoes, C * EXCHANGES);
  assert.is(serverLines, C * EXCHANGES);
  assert.is(disconnected, C);
});

many.run();
