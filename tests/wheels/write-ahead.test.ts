// ReadWrite's write-ahead: output put while a socket read is handled goes
// to the socket as libuv's read callback returns, with no turn of the
// kernel's, when POE would run nothing of that socket's before its write;
// the handler that put still sees the octets counted, FlushedEvent follows.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Socket } from "node:net";
import { ARG0, ARG1, ARG2, ARG3, HEAP, KERNEL, Session, poeKernel } from "../../kernel/index.js";
import type { WheelReadWriteParams } from "../../wheels/index.js";
import { WheelReadWrite, WheelSocketFactory, unpack_sockaddr_in } from "../../wheels/index.js";
import { FilterLine, FilterStream } from "../../filters/index.js";
import { netResources, runAndCheck } from "../helpers/net-resources.js";
import { logError, pairSession } from "../helpers/net-pair.js";

const RW = WheelReadWrite;

/** What the socket has been handed, and what the wheel still counts as unwritten. */
function written(socket: Socket, wheel: WheelReadWrite): [number, number] {
  return [socket.bytesWritten, wheel.get_driver_out_octets()];
}

/**
 * pairSession's ready callback: `heap.server` reads the server socket
 * (also `heap.socket`) with InputEvent s_in, `heap.client` the peer with
 * c_in, each with more `params`; `start` runs last (the client's first put).
 */
function wheels(server: Partial<WheelReadWriteParams>, client: Partial<WheelReadWriteParams>, start: (heap: any) => void) {
  return (_: any, serverSocket: Socket, clientSocket: Socket) => {
    const heap = _[HEAP];
    heap.socket = serverSocket;
    heap.server = RW.new({ Handle: serverSocket, InputEvent: "s_in", ...server });
    heap.client = RW.new({ Handle: clientSocket, InputEvent: "c_in", ...client });
    start(heap);
  };
}

/** The client's first line. */
const ping = (heap: any) => heap.client.put("ping");

/** States for a server wheel answering "pong" to the client's "ping"; `onInput` runs after the put. */
function pingPong(log: unknown[], onInput: (_: any) => void) {
  return {
    s_in: (_: any) => {
      const heap = _[HEAP];
      heap.server.put("pong");
      onInput(_);
      // Runs once the read callback has returned, before Node's next phase.
      process.nextTick(() => log.push(["after read", ...written(heap.socket, heap.server)]));
    },
    s_flushed: (_: any) => log.push(["flushed", ...written(_[HEAP].socket, _[HEAP].server)]),
    c_in: (_: any) => {
      log.push(["client got", _[ARG0]]);
      delete _[HEAP].server;
      delete _[HEAP].client;
    },
  };
}

// ---

const ahead = suite("ReadWrite write-ahead");

ahead("a reply put in InputEvent is on the socket when the read callback returns, and counted until FlushedEvent", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession(wheels({ FlushedEvent: "s_flushed" }, {}, ping), pingPong(log, (_) => log.push(["in handler", ...written(_[HEAP].socket, _[HEAP].server)])));
  await runAndCheck(base);
  assert.equal(log, [["in handler", 0, 6], ["after read", 6, 6], ["flushed", 6, 0], ["client got", "pong"]]);
});

ahead("a reply written ahead costs the kernel no turn: FlushedEvent and the peer's read come before its next one", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession(wheels({ FlushedEvent: "s_flushed" }, {}, ping), {
    s_in: (_) => {
      _[HEAP].turn = poeKernel._turns;
      _[HEAP].server.put("pong");
    },
    s_flushed: (_) => log.push(["flushed, turns since the read", poeKernel._turns - _[HEAP].turn]),
    c_in: (_) => {
      log.push(["client got", _[ARG0], "turns since the read", poeKernel._turns - _[HEAP].turn]);
      delete _[HEAP].server;
      delete _[HEAP].client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [["flushed, turns since the read", 0], ["client got", "pong", "turns since the read", 0]]);
});

ahead("600 round trips, each read in its own poll, all written ahead: the kernel never turns", async () => {
  // 1200 reads with nothing due in between: the guard against a reply
  // being read in its request's poll counts the reads of one poll, not all
  // since the kernel's last turn (which would hold the 513th reply back).
  const base = netResources();
  const log: unknown[] = [];
  const ROUNDS = 600;
  pairSession(wheels({}, {}, ping), {
    // From the first read on, a reply held for POE's I/O phase would take
    // a turn of the kernel's.
    s_in: (_) => {
      _[HEAP].turn ??= poeKernel._turns;
      _[HEAP].server.put("pong");
    },
    c_in: (_) => {
      const heap = _[HEAP];
      heap.rounds = (heap.rounds ?? 0) + 1;
      if (heap.rounds < ROUNDS) return heap.client.put("ping");
      log.push(["rounds", heap.rounds, "turns", poeKernel._turns - heap.turn]);
      delete heap.server;
      delete heap.client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [["rounds", ROUNDS, "turns", 0]]);
});

ahead("with an event due, the reply waits for POE's I/O phase: the event sees it unwritten", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession(wheels({ FlushedEvent: "s_flushed" }, {}, ping), {
    ...pingPong(log, (_) => _[KERNEL].yield("next")),
    next: (_: any) => log.push(["next", ...written(_[HEAP].socket, _[HEAP].server)]),
  });
  await runAndCheck(base);
  assert.equal(log, [["after read", 0, 6], ["next", 0, 6], ["flushed", 6, 0], ["client got", "pong"]]);
});

ahead("a wheel deleted by an event queued in InputEvent never sends the reply, as in POE", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession(wheels({}, { ErrorEvent: "c_err" }, ping), {
    s_in: (_) => {
      _[HEAP].server.put("pong");
      _[KERNEL].yield("close");
    },
    close: (_) => {
      log.push(["close", _[HEAP].socket.bytesWritten]);
      delete _[HEAP].server;
    },
    c_in: (_) => log.push(["client got", _[ARG0]]),
    c_err: logError(log, "client error", "client"),
  });
  await runAndCheck(base);
  assert.equal(log, [["close", 0], ["client error", "read", 0, ""]]);
});

ahead("input Node held while the wheel was paused is not a poll's read: the reply waits for the I/O phase", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession(wheels({ FlushedEvent: "s_flushed" }, { FlushedEvent: "c_flushed" }, (heap) => {
    heap.server.pause_input();
    ping(heap);
  }), {
    ...pingPong(log, () => {}),
    // Long enough for "ping" to reach the paused reader; not an assertion on time.
    c_flushed: (_: any) => _[KERNEL].delay("resume", 0.1),
    resume: (_: any) => _[HEAP].server.resume_input(),
  });
  await runAndCheck(base);
  assert.equal(log, [["after read", 0, 6], ["flushed", 6, 0], ["client got", "pong"]]);
});

ahead("input read together with its end of stream: the reply waits, and ErrorEvent sees it unwritten", async () => {
  // The reader is paused while the peer's line and FIN arrive, so Node has
  // both when reading resumes: POE's order is InputEvent, ErrorEvent, then
  // the write (dropped here, as the ErrorEvent handler deletes the wheel).
  const base = netResources();
  const log: unknown[] = [];
  pairSession(wheels({ ErrorEvent: "s_err" }, { ErrorEvent: "c_err", FlushedEvent: "c_flushed" }, (heap) => {
    heap.server.pause_input();
    heap.client.put("last words");
  }), {
    c_flushed: (_) => {
      _[HEAP].client.shutdown_output();
      // Long enough for the line and the FIN to reach the paused reader; not an assertion on time.
      _[KERNEL].delay("resume", 0.1);
    },
    resume: (_) => _[HEAP].server.resume_input(),
    s_in: (_) => {
      log.push(["server got", _[ARG0]]);
      _[HEAP].server.put("too late");
    },
    s_err: (_) => {
      log.push(["server error", _[ARG0], _[ARG1], _[ARG2], ...written(_[HEAP].socket, _[HEAP].server)]);
      delete _[HEAP].server;
    },
    c_in: (_) => log.push(["client got", _[ARG0]]),
    c_err: logError(log, "client error", "client"),
  });
  await runAndCheck(base);
  assert.equal(log, [["server got", "last words"], ["server error", "read", 0, "", 0, 10], ["client error", "read", 0, ""]]);
});

/** Where the pair's start leaves the server's socket and wheel, for another session to see. */
interface ServerSide {
  socket?: Socket;
  wheel?: WheelReadWrite;
}

/** The pair's start: note the server's socket and wheel in `side`, then the client's first line. */
const pingNoting = (side: ServerSide) => (heap: any) => {
  side.socket = heap.socket;
  side.wheel = heap.server;
  ping(heap);
};

/**
 * A session aliased "other" whose event `name` runs `fn` once with the
 * server's socket and wheel (noted in the returned object by pingNoting),
 * then drops the alias, so that the session ends.
 */
function otherSession(name: string, fn: (socket: Socket, wheel: WheelReadWrite) => void): ServerSide {
  const side: ServerSide = {};
  Session.create({
    inline_states: {
      _start: (_) => _[KERNEL].alias_set("other"),
      [name]: (_) => {
        fn(side.socket as Socket, side.wheel as WheelReadWrite);
        _[KERNEL].alias_remove("other");
      },
    },
  });
  return side;
}

ahead("with only another session's event due, the reply goes at once and completes in the I/O phase after that event", async () => {
  // POE dispatches the other session's event before its I/O phase writes:
  // the octets stay counted through it, and FlushedEvent comes after it.
  const base = netResources();
  const log: unknown[] = [];
  const side = otherSession("look", (socket, wheel) => log.push(["other sees", ...written(socket, wheel)]));
  pairSession(wheels({ FlushedEvent: "s_flushed" }, {}, pingNoting(side)), pingPong(log, (_) => _[KERNEL].post("other", "look")));
  await runAndCheck(base);
  assert.equal(log, [["after read", 6, 6], ["other sees", 6, 6], ["flushed", 6, 0], ["client got", "pong"]]);
});

ahead("with another session's event due, a flush() in it completes the batch written ahead first", async () => {
  const base = netResources();
  const log: unknown[] = [];
  const side = otherSession("more", (socket, wheel) => {
    wheel.put("more");
    log.push(["other put", ...written(socket, wheel)]);
    wheel.flush();
    log.push(["other flushed", ...written(socket, wheel)]);
  });
  pairSession(wheels({ FlushedEvent: "s_flushed" }, {}, pingNoting(side)), {
    s_in: (_) => {
      _[HEAP].server.put("pong");
      _[KERNEL].post("other", "more");
    },
    s_flushed: (_) => log.push(["flushed", ...written(_[HEAP].socket, _[HEAP].server)]),
    c_in: (_) => {
      log.push(["client got", _[ARG0]]);
      if (_[ARG0] !== "more") return;
      delete _[HEAP].server;
      delete _[HEAP].client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [["other put", 6, 12], ["other flushed", 12, 12], ["flushed", 12, 0], ["client got", "pong"], ["client got", "more"]]);
});

ahead("with another session's event due, a reply the socket cannot take at once completes in a later I/O phase", async () => {
  // 4 MB: more than loopback takes in one write, so its write callback
  // comes once the peer has read enough, and is deferred to the I/O phase.
  const base = netResources();
  const log: unknown[] = [];
  const SIZE = 4_000_000;
  const side = otherSession("look", (_socket, wheel) => log.push(["other sees octets", wheel.get_driver_out_octets()]));
  pairSession(wheels({ FlushedEvent: "s_flushed" }, { InputFilter: FilterStream.new(), OutputFilter: FilterLine.new() }, pingNoting(side)), {
    s_in: (_) => {
      _[HEAP].server.put("x".repeat(SIZE));
      _[KERNEL].post("other", "look");
    },
    s_flushed: (_) => log.push(["flushed", _[HEAP].server.get_driver_out_octets()]),
    c_in: (_) => {
      const heap = _[HEAP];
      heap.got = (heap.got ?? 0) + _[ARG0].length;
      if (heap.got < SIZE + 2) return;
      log.push(["client got", heap.got]);
      delete heap.server;
      delete heap.client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [["other sees octets", SIZE + 2], ["flushed", 0], ["client got", SIZE + 2]]);
});

/**
 * A session connecting to a plain node:net server on loopback that reads
 * one line and closes. The SocketFactory's SuccessEvent makes a ReadWrite
 * on the new socket (`heap.wheel`) and puts "hello" on it, then runs
 * `afterPut`; `states` are added.
 */
async function connectSession(log: unknown[], afterPut: (_: any) => void, states: Record<string, (_: any) => unknown>): Promise<void> {
  const server = createServer((peer) => {
    peer.setEncoding("latin1");
    peer.on("data", (data) => {
      log.push(["server got", data]);
      peer.end();
      server.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  Session.create({
    inline_states: {
      // Connecting from an event, not _start: the session's first garbage-collection event is then behind it.
      _start: (_) => _[KERNEL].yield("connect"),
      connect: (_) => {
        _[HEAP].connector = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "failed" });
      },
      connected: (_) => {
        delete _[HEAP].connector;
        const heap = _[HEAP];
        heap.socket = _[ARG0];
        heap.turn = poeKernel._turns;
        heap.wheel = RW.new({ Handle: heap.socket, InputEvent: "input", ErrorEvent: "error", FlushedEvent: "flushed" });
        heap.wheel.put("hello");
        afterPut(_);
        // Runs once the connect callback has returned, before Node's next phase.
        process.nextTick(() => log.push(["after connect", ...written(_[HEAP].socket, _[HEAP].wheel)]));
      },
      failed: (_) => log.push(["failed", _[ARG0], _[ARG1], _[ARG2]]),
      flushed: (_) => log.push(["flushed", ...written(_[HEAP].socket, _[HEAP].wheel), "turns since connecting", poeKernel._turns - _[HEAP].turn]),
      error: logError(log, "error", "wheel"),
      ...states,
    },
  });
}

ahead("what SuccessEvent's handler puts on a wheel made on the new socket goes as the connect callback returns", async () => {
  const base = netResources();
  const log: unknown[] = [];
  await connectSession(log, (_) => log.push(["in handler", ...written(_[HEAP].socket, _[HEAP].wheel)]), {});
  await runAndCheck(base);
  assert.equal(log, [["in handler", 0, 7], ["after connect", 7, 7], ["flushed", 7, 0, "turns since connecting", 0], ["server got", "hello\r\n"], ["error", "read", 0, ""]]);
});

ahead("with an event of its own due, what the connect handler puts waits for POE's I/O phase", async () => {
  const base = netResources();
  const log: unknown[] = [];
  await connectSession(log, (_) => _[KERNEL].yield("next"), {
    next: (_) => log.push(["next", ...written(_[HEAP].socket, _[HEAP].wheel)]),
  });
  await runAndCheck(base);
  assert.equal(log, [["after connect", 0, 7], ["next", 0, 7], ["flushed", 7, 0, "turns since connecting", 1], ["server got", "hello\r\n"], ["error", "read", 0, ""]]);
});

// A child process that connects N sockets to PORT, prints "ready" once all
// are connected, then on "go" (stdin) writes "ping" on each in one loop and
// creates the file MARKER, and exits once each has read its "pong".
const PINGER = `
const net = require("node:net");
const [port, n] = process.argv.slice(1, 3).map(Number);
const marker = process.argv[3];
const socks = [];
let connected = 0, pongs = 0;
for (let i = 0; i < n; i++) {
  const s = net.connect(port, "127.0.0.1", () => { if (++connected === n) process.stdout.write("ready\\n"); });
  s.setEncoding("latin1");
  s.on("data", () => { if (++pongs === n) for (const t of socks) t.destroy(); });
  socks.push(s);
}
process.stdin.once("data", () => {
  for (const s of socks) s.write("ping\\n");
  require("node:fs").writeFileSync(marker, "");
});
`;

/**
 * N connections from a child process, accepted by one session, which
 * answers each "ping" with "pong" and logs how many replies went on the
 * socket before the read callback returned (written ahead). Once it has
 * accepted them all and the child is ready, it tells the child to write and
 * waits, without returning to Node's loop, until the child has written all
 * N pings (its marker file exists): libuv's next poll then reads all N.
 * `timers` refed timers are held meanwhile (each is one of the process's
 * resources, as a socket is).
 */
async function manyReadsInOnePoll(n: number, timers: number): Promise<unknown[]> {
  const base = netResources();
  const log: unknown[] = [];
  const held = Array.from({ length: timers }, () => setTimeout(() => {}, 60_000));
  const marker = join(tmpdir(), `poe-ts-${process.pid}-pinger-${timers}`);
  let ahead = 0;
  let replies = 0;
  Session.create({
    inline_states: {
      _start: (_) => {
        const heap = _[HEAP];
        heap.listener = WheelSocketFactory.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "failed", ListenQueue: 1024 });
        const [port] = unpack_sockaddr_in(heap.listener.getsockname());
        heap.sockets = new Map();
        heap.child = spawn(process.execPath, ["-e", PINGER, String(port), String(n), marker], { stdio: ["pipe", "pipe", "inherit"] });
        heap.child.stdout.once("data", () => {
          heap.ready = true;
          go(heap);
        });
      },
      accepted: (_) => {
        const heap = _[HEAP];
        const wheel = RW.new({ Handle: _[ARG0], InputEvent: "ping", ErrorEvent: "closed" });
        heap[`wheel ${wheel.ID()}`] = wheel;
        heap.sockets.set(wheel.ID(), _[ARG0]);
        if (heap.sockets.size === n) {
          delete heap.listener;
          go(heap);
        }
      },
      ping: (_) => {
        const heap = _[HEAP];
        const socket = heap.sockets.get(_[ARG1]);
        heap[`wheel ${_[ARG1]}`].put("pong");
        process.nextTick(() => {
          if (socket.bytesWritten > 0) ahead += 1;
          if (++replies < n) return;
          log.push(["replies", replies, "written ahead", ahead]);
          for (const t of held) clearTimeout(t);
        });
      },
      // The child has closed its end.
      closed: (_) => delete _[HEAP][`wheel ${_[ARG3]}`],
      failed: (_) => log.push(["failed", _[ARG0], _[ARG1], _[ARG2]]),
    },
  });
  const go = (heap: any) => {
    if (!heap.ready || heap.sockets.size !== n) return;
    heap.child.stdin.end("go\n");
    // Bounded (10 s); loopback has delivered each write when the child's write() returns.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let ms = 0; ms < 10_000 && !existsSync(marker); ms++) Atomics.wait(pause, 0, 0, 1);
    rmSync(marker, { force: true });
  };
  await runAndCheck(base);
  return log;
}

ahead("600 reads in one poll, in a process with too few handles for libuv to poll 1024 events at once: all written ahead", async () => {
  assert.equal(await manyReadsInOnePoll(600, 0), [["replies", 600, "written ahead", 600]]);
});

ahead("600 reads in one poll, with over 1024 handles and timers: from the 512th read counted, replies wait for the I/O phase", async () => {
  // The first run leaves the count of reads at 0 (it reset after that poll).
  assert.equal(await manyReadsInOnePoll(600, 0), [["replies", 600, "written ahead", 600]]);
  assert.equal(await manyReadsInOnePoll(600, 1100), [["replies", 600, "written ahead", 511]]);
});

ahead.run();
