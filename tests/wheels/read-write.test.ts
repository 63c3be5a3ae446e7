// POE::Wheel::ReadWrite on loopback TCP. Tuples and orders were printed by
// POE 1.370 running the same programs where POE has the behaviour.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, ARG2, HEAP, KERNEL, poeKernel, Session } from "../../kernel/index.js";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { FilterLine, FilterStream } from "../../filters/index.js";
import { WheelReadWrite } from "../../wheels/index.js";
import { netResources, runAndCheck } from "../helpers/net-resources.js";
import { logError, pairSession } from "../helpers/net-pair.js";

const RW = WheelReadWrite;
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");


// ---

const io = suite("ReadWrite input and output");

io("put, FlushedEvent, InputEvent with the wheel id, then ('read', 0, '') at end of stream", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server, InputEvent: "s_in", FlushedEvent: "s_flushed" });
    _[HEAP].client = RW.new({ Handle: client, InputEvent: "c_in", ErrorEvent: "c_err", FlushedEvent: "c_flushed" });
    _[HEAP].client.put("hello", "world");
    log.push(["octets", _[HEAP].client.get_driver_out_octets(), _[HEAP].client.get_driver_out_messages()]);
  }, {
    c_flushed: () => log.push("client flushed"),
    s_in: (_) => {
      log.push(["server input", _[ARG0]]);
      if (_[ARG0] === "world") _[HEAP].server.put("got it");
    },
    s_flushed: (_) => { log.push("server flushed"); delete _[HEAP].server; },
    c_in: (_) => log.push(["client input", _[ARG0], _[ARG1] === _[HEAP].client.ID()]),
    c_err: logError(log, "client error", "client"),
  });
  await runAndCheck(base);
  assert.equal(log, [
    ["octets", 14, 2], "client flushed", ["server input", "hello"], ["server input", "world"], "server flushed",
    ["client input", "got it", true], ["client error", "read", 0, ""],
  ]);
});

io("one Line put buffers 19 octets in 1 message until written (wheel_sf_tcp)", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server, InputEvent: "s_in" });
    _[HEAP].client = RW.new({ Handle: client, FlushedEvent: "flushed" });
    _[HEAP].client.put("1: this is a test");
    log.push([_[HEAP].client.get_driver_out_octets(), _[HEAP].client.get_driver_out_messages()]);
  }, {
    flushed: (_) => log.push(["flushed", _[HEAP].client.get_driver_out_octets(), _[HEAP].client.get_driver_out_messages()]),
    s_in: (_) => { log.push(_[ARG0]); delete _[HEAP].server; delete _[HEAP].client; },
  });
  await runAndCheck(base);
  assert.equal(log, [[19, 1], ["flushed", 0, 0], "1: this is a test"]);
});

io("one record of any kind through Filter.Line buffers what the filter makes of it, in bytes", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server, InputEvent: "s_in" });
    const wheel = RW.new({ Handle: client });
    _[HEAP].client = wheel;
    for (const record of ["ascii", "é", 42, Buffer.from("ab"), ""]) {
      wheel.put(record);
      log.push(wheel.get_driver_out_octets());
    }
  }, {
    s_in: (_) => {
      log.push(_[ARG0]);
      if (_[ARG0] === "") { delete _[HEAP].server; delete _[HEAP].client; }
    },
  });
  await runAndCheck(base);
  assert.equal(log, [7, 11, 15, 19, 21, "ascii", "é", "42", "ab", ""]);
});

io("AutoFlush hands the data to the socket inside put()", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].a = RW.new({ Handle: server, AutoFlush: true });
    _[HEAP].b = RW.new({ Handle: client });
    _[HEAP].a.put("now");
    _[HEAP].b.put("later");
    log.push(server.writableLength + server.bytesWritten > 0, client.writableLength + client.bytesWritten);
    delete _[HEAP].a;
    delete _[HEAP].b;
  });
  await runAndCheck(base);
  assert.equal(log, [true, 0]);
});

io("records still parsed from a read arrive after pause_input; nothing more until resume_input", async () => {
  // POE 1.370 (PTL wheel_readwrite): records of the chunk being read keep
  // arriving after pause_input(); the next read waits for resume_input().
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].reader = RW.new({ Handle: server, InputEvent: "got" });
    _[HEAP].writer = RW.new({ Handle: client });
    _[HEAP].writer.put("one", "two");
  }, {
    got: (_) => {
      log.push(_[ARG0]);
      if (_[ARG0] === "one") {
        _[HEAP].reader.pause_input();
        log.push(["paused", _[HEAP].reader.get_input_handle().isPaused()]);
      } else if (_[ARG0] === "two") {
        _[HEAP].writer.put("three");
        // Long enough for "three" to reach the reader's socket; not an assertion on time.
        _[KERNEL].delay("resume", 0.1);
      } else {
        delete _[HEAP].reader;
        delete _[HEAP].writer;
      }
    },
    resume: (_) => {
      log.push("resume");
      _[HEAP].reader.resume_input();
    },
  });
  await runAndCheck(base);
  assert.equal(log, ["one", ["paused", true], "two", "resume", "three"]);
});

io.run();

// ---

const faults = suite("ReadWrite faults");

faults("a peer reset mid-stream is ('read', 104, 'Connection reset by peer')", async () => {
  // POE 1.370: err read 104 [Connection reset by peer] after SO_LINGER 0 + close.
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    // The raw peer never reads: closing it with "ping" unread sends RST.
    _[HEAP].raw = server;
    server.write("partial line\nno newline yet");
    _[HEAP].client = RW.new({ Handle: client, InputEvent: "got", ErrorEvent: "err", FlushedEvent: "flushed" });
    _[HEAP].client.put("ping");
  }, {
    got: (_) => log.push(_[ARG0]),
    flushed: (_) => _[KERNEL].delay("reset", 0.05),
    reset: (_) => _[HEAP].raw.destroy(),
    err: logError(log, "error", "client"),
  });
  await runAndCheck(base);
  assert.equal(log, ["partial line", ["error", "read", 104, "Connection reset by peer"]]);
});

faults("a peer half-close is ('read', 0, '') and the wheel can still answer", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server, InputEvent: "s_in", ErrorEvent: "s_err", FlushedEvent: "s_flushed" });
    _[HEAP].client = RW.new({ Handle: client, InputEvent: "c_in", ErrorEvent: "c_err", FlushedEvent: "c_flushed" });
    _[HEAP].client.put("request");
  }, {
    c_flushed: (_) => _[HEAP].client.shutdown_output(),
    s_in: (_) => log.push(["server got", _[ARG0]]),
    s_err: (_) => {
      log.push(["server error", _[ARG0], _[ARG1], _[ARG2]]);
      _[HEAP].server.put("reply");
    },
    s_flushed: (_) => { delete _[HEAP].server; },
    c_in: (_) => log.push(["client got", _[ARG0]]),
    c_err: logError(log, "client error", "client"),
  });
  await runAndCheck(base);
  assert.equal(log, [["server got", "request"], ["server error", "read", 0, ""], ["client got", "reply"], ["client error", "read", 0, ""]]);
});

faults("put() reports high water; HighEvent, then LowEvent, then FlushedEvent", async () => {
  // POE 1.370 with HighMark 10, LowMark 5: put returns 1 twice, then low,
  // flushed (POE never fires HighEvent; the port does, once, first).
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server });
    _[HEAP].client = RW.new({ Handle: client, HighMark: 10, LowMark: 5, HighEvent: "high", LowEvent: "low", FlushedEvent: "flushed" });
    log.push(["put", _[HEAP].client.put("x".repeat(100)), _[HEAP].client.get_driver_out_octets()]);
    log.push(["put", _[HEAP].client.put("y")]);
  }, {
    high: () => log.push("high"),
    low: () => log.push("low"),
    flushed: (_) => { log.push("flushed"); delete _[HEAP].server; delete _[HEAP].client; },
  });
  await runAndCheck(base);
  assert.equal(log, [["put", true, 102], ["put", true], "high", "low", "flushed"]);
});

faults("a peer that does not read holds the writer at HighMark; memory stays bounded", async () => {
  const base = netResources();
  const HIGH = 1 << 20;
  const RECORD = "x".repeat(65535);
  const TOTAL = 160;
  const stats = { sent: 0, received: 0, maxOctets: 0, highPuts: 0, events: [] as string[] };
  const fill = (_: any) => {
    const wheel = _[HEAP].writer;
    while (stats.sent < TOTAL) {
      stats.sent++;
      const high = wheel.put(RECORD);
      stats.maxOctets = Math.max(stats.maxOctets, wheel.get_driver_out_octets());
      if (high) return void stats.highPuts++;
    }
  };
  pairSession((_, server, client) => {
    _[HEAP].reader = RW.new({ Handle: server, InputEvent: "got" });
    _[HEAP].reader.pause_input();
    _[HEAP].writer = RW.new({ Handle: client, HighMark: HIGH, LowMark: 65536, HighEvent: "high", LowEvent: "low", FlushedEvent: "flushed" });
    fill(_);
  }, {
    high: (_) => {
      stats.events.push("high");
      if (stats.events.length === 1) _[KERNEL].delay("start_reading", 0.1);
    },
    start_reading: (_) => _[HEAP].reader.resume_input(),
    low: (_) => { stats.events.push("low"); fill(_); },
    got: (_) => {
      stats.received++;
      if (stats.received === TOTAL) { delete _[HEAP].reader; delete _[HEAP].writer; }
    },
    flushed: () => stats.events.push("flushed"),
  });
  await runAndCheck(base);
  assert.is(stats.received, TOTAL);
  assert.ok(stats.highPuts >= 1, "put() returned true");
  assert.ok(stats.maxOctets <= HIGH + RECORD.length + 2, `buffered at most HighMark + one record, saw ${stats.maxOctets}`);
  assert.is(stats.events[0], "high");
  assert.is(stats.events.filter((e) => e === "high").length, stats.events.filter((e) => e === "low").length);
});

faults("a record longer than the filter's MaxLength is an ErrorEvent naming it; nothing more is read", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].reader = RW.new({ Handle: server, Filter: FilterLine.new({ MaxLength: 16 }), InputEvent: "got", ErrorEvent: "err" });
    _[HEAP].writer = RW.new({ Handle: client });
    _[HEAP].writer.put("short", "x".repeat(100), "after");
  }, {
    got: (_) => log.push(_[ARG0]),
    err: (_) => {
      log.push([_[ARG0], _[ARG1], _[ARG2]]);
      _[KERNEL].delay("done", 0.05);
    },
    done: (_) => { delete _[HEAP].reader; delete _[HEAP].writer; },
  });
  await runAndCheck(base);
  assert.equal(log, ["short", ["read", 90, "Message too long (POE_FILTER_MAX_LENGTH)"]]);
});

faults("an exception in InputEvent becomes the session's DIE signal naming the read state", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[KERNEL].sig("DIE", "died");
    _[HEAP].reader = RW.new({ Handle: server, InputEvent: "got" });
    _[HEAP].writer = RW.new({ Handle: client });
    _[HEAP].writer.put("boom");
  }, {
    got: () => { throw "boom\n"; },
    died: (_) => {
      log.push([_[ARG1].event, _[ARG1].error_str]);
      _[KERNEL].sig_handled();
      _[KERNEL].sig("DIE");
      delete _[HEAP].reader;
      delete _[HEAP].writer;
    },
  });
  await runAndCheck(base);
  assert.equal(log.length, 1);
  const [event, thrown] = log[0] as [string, string];
  assert.match(event, /^POE::Wheel::ReadWrite\(\d+\) -> select read$/);
  assert.is(thrown, "boom\n");
});

faults.run();

// ---

const owner = suite("ReadWrite ownership");

owner("delete heap.server closes the connection: the peer reads ('read', 0, '')", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server });
    _[HEAP].client = RW.new({ Handle: client, InputEvent: "got", ErrorEvent: "err" });
    delete _[HEAP].server;
  }, { err: logError(log, "client error", "client") });
  await runAndCheck(base);
  assert.equal(log, [["client error", "read", 0, ""]]);
});

owner("replacing heap.server with another wheel closes the old one", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server });
    const oldId = _[HEAP].server.ID();
    _[HEAP].client = RW.new({ Handle: client, InputEvent: "got", ErrorEvent: "err" });
    _[HEAP].server = RW.new({ Handle: new PassThrough() });
    log.push(_[HEAP].server.ID() !== oldId);
  }, {
    err: (_) => {
      log.push([_[ARG0], _[ARG1], _[ARG2]]);
      delete _[HEAP].client;
      delete _[HEAP].server;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [true, ["read", 0, ""]]);
});

owner("a destroyed wheel hears nothing more: its closed socket's late events reach no handler; a stream it leaves open keeps none of its listeners", async () => {
  const base = netResources();
  const log: unknown[] = [];
  const stream = new PassThrough();
  pairSession((_, server, client) => {
    _[HEAP].server = RW.new({ Handle: server, InputEvent: "got", ErrorEvent: "err" });
    _[HEAP].pipe = RW.new({ Handle: stream, InputEvent: "got", ErrorEvent: "err" });
    delete _[HEAP].server;
    delete _[HEAP].pipe;
    // A closed socket keeps the wheel's listeners; through them nothing arrives.
    server.emit("data", Buffer.from("late\n"));
    server.emit("end");
    server.emit("error", new Error("late"));
    stream.write("unread\n");
    client.destroy();
    log.push([server.destroyed, stream.destroyed, stream.listenerCount("data"), stream.listenerCount("end"), stream.listenerCount("error")]);
  }, { got: (_) => log.push(["got", _[ARG0]]), err: (_) => log.push(["err", _[ARG0], _[ARG1]]) });
  await runAndCheck(base);
  // The open stream keeps only the 'error' swallower every wheel stream gets.
  assert.equal(log, [[true, false, 0, 0, 1]]);
});

owner("when a session stops, every wheel it owns is destroyed, heap or not", async () => {
  const base = netResources();
  let wheels: WheelReadWrite[] = [];
  pairSession((_, server, client) => {
    // Held outside the heap: only the kernel's ownership can close them.
    wheels = [RW.new({ Handle: server, InputEvent: "got" }), RW.new({ Handle: client, InputEvent: "got" })];
    _[KERNEL].yield("quit");
  }, { quit: (_) => _[KERNEL].stop() });
  await runAndCheck(base);
  assert.is(wheels.length, 2);
  assert.is(wheels[0]?.get_driver_out_octets(), 0);
});

// In a child whose stdin is a pipe: reading process.stdin would open a
// handle on fd 0 that the program never asked for.
owner("closing a wheel's socket leaves the process's stdio alone, and opens none of it", () => {
  const script = [
    'import { Socket } from "node:net";',
    'import { HEAP, poeKernel, Session } from "./kernel/index.js";',
    'import { WheelReadWrite } from "./wheels/index.js";',
    'const pipes = () => process.getActiveResourcesInfo().filter((r) => r === "PipeWrap").length;',
    "const stdout = process.stdout;",
    "const before = pipes();",
    "Session.create({ inline_states: { _start: (_) => {",
    '  _[HEAP].server = WheelReadWrite.new({ Handle: new Socket(), InputEvent: "got" });',
    '  _[HEAP].out = WheelReadWrite.new({ OutputHandle: stdout, InputHandle: new Socket(), InputEvent: "got" });',
    "  delete _[HEAP].server;",
    "  delete _[HEAP].out;",
    "}, got: () => {} } });",
    "await poeKernel.run();",
    'stdout.write(JSON.stringify([stdout.destroyed, pipes() - before]) + "\\n");',
  ].join("\n");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", input: "", timeout: 30_000 });
  assert.is(r.stderr, "");
  // Not destroyed, and no new pipe: process.stdin was never made.
  assert.is(r.stdout, "[false,0]\n");
});

owner.run();

// ---

const filters = suite("ReadWrite filters and events");

filters("set_filter carries unread input over to the new filter", async () => {
  // POE 1.370 (t/10_units/05_filters/99_filterchange.t): records after the
  // switch are parsed by the new filter from the old one's pending bytes.
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].reader = RW.new({ Handle: server, InputEvent: "got" });
    _[HEAP].writer = RW.new({ Handle: client, Filter: FilterStream.new() });
    _[HEAP].writer.put("switch\nraw bytes");
  }, {
    got: (_) => {
      log.push(String(_[ARG0]));
      if (_[ARG0] === "switch") _[HEAP].reader.set_filter(FilterStream.new());
      else { delete _[HEAP].reader; delete _[HEAP].writer; }
    },
  });
  await runAndCheck(base);
  assert.equal(log, ["switch", "raw bytes"]);
});

filters("event() renames every event; an undefined InputEvent stops reading", async () => {
  const base = netResources();
  const log: unknown[] = [];
  pairSession((_, server, client) => {
    _[HEAP].reader = RW.new({ Handle: server, InputEvent: "wrong", ErrorEvent: "wrong" });
    _[HEAP].reader.event("InputEvent", "got", "ErrorEvent", "err");
    _[HEAP].writer = RW.new({ Handle: client, FlushedEvent: "wrong" });
    _[HEAP].writer.event({ FlushedEvent: "flushed" });
    _[HEAP].writer.put("a");
  }, {
    wrong: () => log.push("wrong"),
    got: (_) => { log.push(["got", _[ARG0]]); delete _[HEAP].writer; },
    flushed: () => log.push("flushed"),
    err: (_) => { log.push(["err", _[ARG0], _[ARG1]]); delete _[HEAP].reader; },
  });
  await runAndCheck(base);
  assert.equal(log, ["flushed", ["got", "a"], ["err", "read", 0]]);
});

filters.run();

// ---

const croak = suite("ReadWrite constructor checks");

croak("croaks 'Water mark errors' for every bad combination of marks (wheel_readwrite)", async () => {
  const cases: Array<Record<string, unknown>> = [
    { HighMark: 5, HighEvent: "high", LowEvent: "low" },
    { LowMark: 5, HighEvent: "high", LowEvent: "low" },
    { LowMark: 5, HighMark: -1, HighEvent: "high", LowEvent: "low" },
    { LowMark: -1, HighMark: 5, HighEvent: "high", LowEvent: "low" },
    { LowMark: -1, HighMark: -1, HighEvent: "high", LowEvent: "low" },
    { LowMark: 3, HighMark: 8, HighEvent: "high" },
    { HighEvent: "high" },
    { LowEvent: "low" },
    { LowEvent: "low", HighEvent: "high" },
  ];
  const messages: string[] = [];
  const original = console.warn;
  console.warn = () => {};
  Session.create({
    inline_states: {
      _start: () => {
        for (const params of cases) {
          try {
            RW.new({ Handle: new PassThrough(), ...params });
            messages.push("no croak");
          } catch (error) {
            messages.push((error as Error).message.replace(/:.*/, ""));
          }
        }
      },
    },
  });
  await poeKernel.run().finally(() => { console.warn = original; });
  assert.equal(messages, cases.map(() => "Water mark errors"));
});

croak("croaks 'Handle or InputHandle required' and 'Handle or OutputHandle required'", async () => {
  const messages: string[] = [];
  Session.create({
    inline_states: {
      _start: () => {
        for (const params of [{}, { InputHandle: new PassThrough() }]) {
          try {
            RW.new(params as any);
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
      },
    },
  });
  await poeKernel.run();
  assert.equal(messages, ["Handle or InputHandle required", "Handle or OutputHandle required"]);
});

croak.run();
