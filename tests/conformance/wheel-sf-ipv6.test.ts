// Port by intent of rcaputo/poe-test-loops lib/POE/Test/Loops/wheel_sf_ipv6.pm
// (POE 1.370): a server and a client on ::1 in AF_INET6 mode; the client
// sends "1: this is a test", the server echoes each line rot13'd, the client
// sends the echo back as "2: ...", and checks the second echo is the
// original text; every put is flushed on both sides.
//
// What does not port, and why:
// - The original drives Component::Server::TCP and Component::Client::TCP
//   (Domain => AF_INET6) to exercise SocketFactory. Here the SocketFactory
//   and ReadWrite wheels are used directly, as in wheel-sf-tcp.test.ts, so
//   the test stays a wheel test; the components have their own suites.
// - Its skips (no Socket::GetAddrInfo, no IPv6 localhost, no
//   `run_network_tests` file) have no counterpart: without an IPv6
//   loopback the listener's FailureEvent is logged and the test fails
//   rather than skipping.
// - getnameinfo(NI_NUMERICHOST | NI_NUMERICSERV) on the listener's address
//   becomes unpack_sockaddr_in6 + inet_ntop, which give the same host and port.
// The transcript is POE 1.370's, from the same program written in Perl.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ARG0, ARG1, ARG2, HEAP, Session } from "../../kernel/index.js";
import { FilterLine } from "../../filters/index.js";
import { AF_INET6, WheelReadWrite, WheelSocketFactory, inet_ntop, unpack_sockaddr_in6 } from "../../wheels/index.js";
import { netResources, runAndCheck } from "../helpers/net-resources.js";

const test = suite("wheel_sf_ipv6");

/** `tr/a-zA-Z/n-za-mN-ZA-M/` */
function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** The echo session for one accepted socket. */
function echoSession(socket: unknown, log: string[]): void {
  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].wheel = WheelReadWrite.new({ Handle: socket as any, Filter: FilterLine.new(), InputEvent: "got_line", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
      },
      got_line: (_) => {
        log.push(`server: got_line ${String(_[ARG0])}`);
        _[HEAP].wheel.put(rot13(String(_[ARG0])));
      },
      got_flush: () => { log.push("server: got_flush"); },
      got_error: (_) => {
        log.push(`server: got_error ${String(_[ARG0])} ${String(_[ARG1])} ${String(_[ARG2])}`);
        delete _[HEAP].wheel;
      },
      _stop: () => { log.push("server: _stop"); },
    },
  });
}

test("a rot13 echo over AF_INET6 on ::1, every put flushed", async () => {
  const base = netResources();
  const log: string[] = [];
  let serverPort = 0;

  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].listener = WheelSocketFactory.new({ SocketDomain: AF_INET6, BindAddress: "::1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "failed" });
        const [port, address] = unpack_sockaddr_in6(_[HEAP].listener.getsockname());
        serverPort = port;
        log.push(`server: listening on ${inet_ntop(AF_INET6, address)}`);
      },
      accepted: (_) => {
        log.push(`server: accepted from ${inet_ntop(AF_INET6, _[ARG1])}`);
        delete _[HEAP].listener;
        echoSession(_[ARG0], log);
      },
      failed: (_) => {
        log.push(`server: failed ${String(_[ARG0])} ${String(_[ARG1])} ${String(_[ARG2])}`);
        delete _[HEAP].listener;
      },
      _child: () => {},
    },
  });

  Session.create({
    inline_states: {
      _start: (_) => {
        _[HEAP].wheel = WheelSocketFactory.new({ SocketDomain: AF_INET6, RemoteAddress: "::1", RemotePort: serverPort, BindAddress: "::1", SuccessEvent: "connected", FailureEvent: "got_error" });
      },
      connected: (_) => {
        log.push(`client: connected to ${inet_ntop(AF_INET6, _[ARG1])} port ${_[ARG2] === serverPort ? "ok" : "bad"}`);
        const heap = _[HEAP];
        heap.wheel = WheelReadWrite.new({ Handle: _[ARG0], Filter: FilterLine.new(), InputEvent: "got_line", ErrorEvent: "got_error", FlushedEvent: "got_flush" });
        heap.wheel.put("1: this is a test");
        log.push(`client: buffered ${heap.wheel.get_driver_out_octets()} octets in ${heap.wheel.get_driver_out_messages()}`);
      },
      got_line: (_) => {
        const line = String(_[ARG0]);
        log.push(`client: got_line ${line}`);
        if (line.startsWith("1: ")) _[HEAP].wheel.put(`2: ${line.slice(3)}`);
        else if (line.startsWith("2: ")) delete _[HEAP].wheel;
      },
      got_flush: () => { log.push("client: got_flush"); },
      got_error: (_) => {
        log.push(`client: got_error ${String(_[ARG0])} ${String(_[ARG1])} ${String(_[ARG2])}`);
        delete _[HEAP].wheel;
      },
      _stop: () => { log.push("client: _stop"); },
    },
  });

  await runAndCheck(base);
  assert.equal(log, [
    "server: listening on ::1",
    "server: accepted from ::1",
    "client: connected to ::1 port ok",
    "client: buffered 19 octets in 1",
    "client: got_flush",
    "server: got_line 1: this is a test",
    "server: got_flush",
    "client: got_line 1: guvf vf n grfg",
    "client: got_flush",
    "server: got_line 2: guvf vf n grfg",
    "server: got_flush",
    "client: got_line 2: this is a test",
    "client: _stop",
    "server: got_error read 0 ",
    "server: _stop",
  ]);
});

test.run();
