// Port of poe-test-loops lib/POE/Test/Loops/wheel_sf_tcp.pm (POE 1.370):
// a SocketFactory client and a rot13 echo server each swap their
// SocketFactory for a ReadWrite; one Line put buffers 19 octets in 1
// message; every put is flushed; EOF is errnum 0; the listener's
// getsockname() gives 127.0.0.1 and the port. Component::Server::TCP's
// Acceptor is played by a listening SocketFactory (components/ come later);
// Driver::SysRW BlockSize => 10 has no counterpart (Node reads what is there).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, ARG2, ARG3, HEAP, Session } from "../../kernel/index.js";
import { FilterLine } from "../../filters/index.js";
import { WheelReadWrite, WheelSocketFactory, inet_ntoa, unpack_sockaddr_in } from "../../wheels/index.js";
import { netResources, runAndCheck } from "../helpers/net-resources.js";

const test = suite("wheel_sf_tcp");

/** `tr/a-zA-Z/n-za-mN-ZA-M/` */
function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

test("client and rot13 server over SocketFactory + ReadWrite", async () => {
  const base = netResources();
  const ok: string[] = [];
  let tcpServerPort = 0;

  function sssNew(socket: unknown): void {
    Session.create({
      inline_states: {
        _start: (_) => {
          const heap = _[HEAP];
          heap.wheel = WheelReadWrite.new({ Handle: socket as any, Filter: FilterLine.new(), InputEvent: "got_line", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
          heap.test_two = 1;
          heap.flush_count = 0;
          heap.put_count = 0;
        },
        got_line: (_) => {
          _[HEAP].wheel.put(rot13(String(_[ARG0])));
          _[HEAP].put_count++;
        },
        got_error: (_) => {
          if (_[ARG1] === 0) ok.push("sss expecting errnum 0");
          else _[HEAP].test_two = 0;
          delete _[HEAP].wheel;
        },
        got_flush: (_) => { _[HEAP].flush_count++; },
        _stop: (_) => {
          if (_[HEAP].test_two) ok.push("test two");
          if (_[HEAP].put_count === _[HEAP].flush_count) ok.push("flushed all put data");
        },
      },
    });
  }

  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].listener = WheelSocketFactory.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "failed" });
        [tcpServerPort] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
      },
      accepted: (_) => {
        sssNew(_[ARG0]);
        const [port, addr] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
        delete _[HEAP].listener;
        if (inet_ntoa(addr) === "127.0.0.1" && port === tcpServerPort) ok.push("received connection");
      },
      failed: (_) => ok.push(`listener failed ${String(_[ARG0])}`),
      _child: () => {},
    },
  });

  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].wheel = WheelSocketFactory.new({ RemoteAddress: "127.0.0.1", RemotePort: tcpServerPort, SuccessEvent: "got_server", FailureEvent: "got_error" });
        _[HEAP].socket_wheel_id = _[HEAP].wheel.ID();
        _[HEAP].test_five = 1;
      },
      got_server: (_) => {
        const heap = _[HEAP];
        delete heap.wheel;
        heap.wheel = WheelReadWrite.new({ Handle: _[ARG0], Filter: FilterLine.new(), InputEvent: "got_line", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
        heap.readwrite_wheel_id = heap.wheel.ID();
        heap.test_seven = 1;
        heap.flush_count = 0;
        heap.put_count = 1;
        heap.wheel.put("1: this is a test");
        if (heap.wheel.get_driver_out_octets() === 19) ok.push("buffered 19 octets");
        if (heap.wheel.get_driver_out_messages() === 1) ok.push("buffered 1 message");
      },
      got_line: (_) => {
        const line = String(_[ARG0]);
        if (line.startsWith("1: ")) {
          _[HEAP].put_count++;
          _[HEAP].wheel.put(`2: ${line.slice(3)}`);
        } else if (line.startsWith("2: ")) {
          if (line.slice(3) === "this is a test") ok.push("received test message");
          delete _[HEAP].wheel;
        }
      },
      got_error: (_) => {
        if (_[ARG3] === _[HEAP].socket_wheel_id) _[HEAP].test_five = 0;
        if (_[ARG3] === _[HEAP].readwrite_wheel_id) _[HEAP].test_seven = 0;
        ok.push(`client ${String(_[ARG0])} error ${String(_[ARG1])}: ${String(_[ARG2])}`);
        delete _[HEAP].wheel;
      },
      got_flush: (_) => { _[HEAP].flush_count++; },
      _stop: (_) => {
        if (_[HEAP].test_five) ok.push("test five");
        if (_[HEAP].test_seven) ok.push("test seven");
      },
    },
  });

  await runAndCheck(base);
  assert.equal(ok.sort(), [
    "buffered 1 message", "buffered 19 octets", "flushed all put data", "received connection", "received test message",
    "sss expecting errnum 0", "test five", "test seven", "test two",
  ]);
});

test.run();
