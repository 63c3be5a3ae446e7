// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/wheel_sf_unix.pm
// (POE 1.370): a PF_UNIX SocketFactory server bound to a temporary path
// spawns a rot13 echo session per client; a PF_UNIX client sends
// "1: this is a test", sends the echo back as "2: ...", and gets the original
// text. One put buffers 19 octets in 1 message; every put is flushed; the
// echo session sees EOF as ("read", 0, ""); the server gets _child("lose")
// for the child it created, counts exactly one client, and removes its path.
//
// What does not port, and why:
// - Driver::SysRW BlockSize => 10 has no counterpart: Node reads what is
//   there, so the record boundaries seen by the filter differ, not the records.
// - File::Temp's tempfile() (created, then unlinked by the server's _start)
//   becomes a path under os.tmpdir() that nothing creates before bind.
// - Its skips (MSWin32, MacOS, cygwin, no `run_network_tests` file) have no
//   counterpart.
// - The original's warn()s on failures are logged lines here, so a failure
//   shows up in the transcript instead of on stderr.
// The transcript is POE 1.370's, from the same program written in Perl. With
// several pairs POE interleaves them in select()'s order, which is not
// stable, so each pair's own transcript is asserted whole.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARG0, ARG1, ARG2, HEAP, Session } from "../../kernel/index.js";
import { FilterLine } from "../../filters/index.js";
import { PF_UNIX, WheelReadWrite, WheelSocketFactory } from "../../wheels/index.js";
import { netResources, runAndCheck } from "../helpers/net-resources.js";

const test = suite("wheel_sf_unix");

/** `tr/a-zA-Z/n-za-mN-ZA-M/` */
function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** A socket path under os.tmpdir(), unique to this process and `n`. */
function socketPath(n: number): string {
  return join(tmpdir(), `poe-usrv-${process.pid}-${n}`);
}

function tuple(_: any): string {
  return `${String(_[ARG0])} ${String(_[ARG1])} ${String(_[ARG2])}`;
}

/** The echo session for one accepted socket (POE: sss_new). */
function sssNew(socket: unknown, log: (line: string) => void): void {
  Session.create({
    inline_states: {
      _start: (_) => {
        const heap = _[HEAP];
        heap.wheel = WheelReadWrite.new({ Handle: socket as any, Filter: FilterLine.new(), InputEvent: "got_line", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
        heap.put_count = 0;
        heap.flush_count = 0;
        log("sss: _start");
      },
      got_line: (_) => {
        log(`sss: got_line ${String(_[ARG0])}`);
        _[HEAP].wheel.put(rot13(String(_[ARG0])));
        _[HEAP].put_count++;
      },
      got_flush: (_) => {
        log("sss: got_flush");
        _[HEAP].flush_count++;
      },
      got_error: (_) => {
        log(`sss: got_error ${tuple(_)}`);
        delete _[HEAP].wheel;
      },
      _stop: (_) => { log(`sss: _stop put ${_[HEAP].put_count} flushed ${_[HEAP].flush_count}`); },
    },
  });
}

/** One PF_UNIX server and one client on `path`, logging through `log`. */
function unixPair(path: string, log: (line: string) => void): void {
  Session.create({
    inline_states: {
      _start: (_) => {
        if (existsSync(path)) unlinkSync(path);
        _[HEAP].wheel = WheelSocketFactory.new({ SocketDomain: PF_UNIX, BindAddress: path, SuccessEvent: "got_client", FailureEvent: "got_error" });
        _[HEAP].client_count = 0;
        log("server: _start");
      },
      got_client: (_) => {
        _[HEAP].client_count++;
        log("server: got_client");
        sssNew(_[ARG0], log);
      },
      got_error: (_) => {
        log(`server: got_error ${tuple(_)}`);
        delete _[HEAP].wheel;
      },
      _child: (_) => {
        log(`server: _child ${String(_[ARG0])}`);
        if (_[ARG0] === "create") _[HEAP].child = _[ARG1];
        if (_[ARG0] === "lose") {
          delete _[HEAP].wheel;
          log(`server: lost expected child ${_[ARG1] === _[HEAP].child ? "yes" : "no"}`);
        }
      },
      _stop: (_) => {
        log(`server: _stop clients ${_[HEAP].client_count}`);
        if (existsSync(path)) unlinkSync(path);
      },
    },
  });

  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].wheel = WheelSocketFactory.new({ SocketDomain: PF_UNIX, RemoteAddress: path, SuccessEvent: "got_server", FailureEvent: "got_error" });
        log("client: _start");
      },
      got_server: (_) => {
        log("client: got_server");
        const heap = _[HEAP];
        delete heap.wheel;
        heap.wheel = WheelReadWrite.new({ Handle: _[ARG0], Filter: FilterLine.new(), InputEvent: "got_line", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
        heap.put_count = 1;
        heap.flush_count = 0;
        heap.wheel.put("1: this is a test");
        log(`client: buffered ${heap.wheel.get_driver_out_octets()} octets in ${heap.wheel.get_driver_out_messages()}`);
      },
      got_line: (_) => {
        const line = String(_[ARG0]);
        log(`client: got_line ${line}`);
        if (line.startsWith("1: ")) {
          _[HEAP].put_count++;
          _[HEAP].wheel.put(`2: ${line.slice(3)}`);
        } else if (line.startsWith("2: ")) delete _[HEAP].wheel;
      },
      got_flush: (_) => {
        log("client: got_flush");
        _[HEAP].flush_count++;
      },
      got_error: (_) => {
        log(`client: got_error ${tuple(_)}`);
        delete _[HEAP].wheel;
      },
      _stop: (_) => { log(`client: _stop put ${_[HEAP].put_count} flushed ${_[HEAP].flush_count}`); },
    },
  });
}

/** POE 1.370's transcript of one pair. */
const PAIR_TRANSCRIPT = [
  "server: _start",
  "client: _start",
  "server: got_client",
  "sss: _start",
  "server: _child create",
  "client: got_server",
  "client: buffered 19 octets in 1",
  "client: got_flush",
  "sss: got_line 1: this is a test",
  "sss: got_flush",
  "client: got_line 1: guvf vf n grfg",
  "client: got_flush",
  "sss: got_line 2: guvf vf n grfg",
  "sss: got_flush",
  "client: got_line 2: this is a test",
  "client: _stop put 2 flushed 2",
  "sss: got_error read 0 ",
  "sss: _stop put 2 flushed 2",
  "server: _child lose",
  "server: lost expected child yes",
  "server: _stop clients 1",
];

test("a PF_UNIX server and client: rot13 echo, one client, path removed", async () => {
  const base = netResources();
  const path = socketPath(0);
  const log: string[] = [];
  try {
    unixPair(path, (line) => log.push(line));
    await runAndCheck(base);
    assert.equal(log, PAIR_TRANSCRIPT);
    assert.is(existsSync(path), false, "socket path left behind");
  } finally {
    if (existsSync(path)) unlinkSync(path);
  }
});

test("three PF_UNIX servers, one client each: every pair's transcript is POE's", async () => {
  const base = netResources();
  const paths = [1, 2, 3].map(socketPath);
  const logs: string[][] = paths.map(() => []);
  try {
    paths.forEach((path, i) => unixPair(path, (line) => logs[i]!.push(line)));
    await runAndCheck(base);
    assert.equal(logs, [PAIR_TRANSCRIPT, PAIR_TRANSCRIPT, PAIR_TRANSCRIPT]);
    assert.equal(paths.filter((path) => existsSync(path)), [], "socket paths left behind");
  } finally {
    for (const path of paths) if (existsSync(path)) unlinkSync(path);
  }
});

test.run();
