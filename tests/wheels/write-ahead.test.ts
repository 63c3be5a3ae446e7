// ReadWrite's write-ahead: output put while a socket read is handled goes
// to the socket as libuv's read callback returns, with no turn of the
// kernel's, when POE would run nothing of that socket's before its write;
// the handler that put still sees the octets counted, FlushedEvent follows.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Socket } from "node:net";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, poeKernel } from "../../kernel/index.js";
import type { WheelReadWriteParams } from "../../wheels/index.js";
import { WheelReadWrite } from "../../wheels/index.js";
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

ahead.run();
