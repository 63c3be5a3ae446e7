// POE::Wheel::SocketFactory on loopback. Tuples and orders were printed by
// POE 1.370 running the same programs (see the comments by each test).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import { ARG0, ARG1, ARG2, ARG3, HEAP, KERNEL, poeKernel, Session } from "../../kernel/index.js";
import {
  AF_INET6, PF_UNIX, WheelReadWrite, WheelSocketFactory, inet_aton, inet_ntoa, inet_ntop, unpack_sockaddr_in, unpack_sockaddr_in6, unpack_sockaddr_un,
} from "../../wheels/index.js";
import { packAddress } from "../../wheels/socket-factory-net.js";
import { netResources, poeKeys, runAndCheck, unixPath } from "../helpers/net-resources.js";

const SF = WheelSocketFactory;

/** A session whose _start is `start`; `fail` logs FailureEvent tuples with the wheel id. */
function session(log: unknown[], start: (_: any) => void, states: Record<string, (_: any) => void> = {}): void {
  Session.create({
    inline_states: {
      _start: start,
      fail: (_: any) => log.push(["fail", _[ARG0], _[ARG1], _[ARG2], _[ARG3]]),
      ...states,
    },
  });
}

// ---

const listen = suite("SocketFactory listen");

listen("is bound when new() returns: getsockname() gives the port at once", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].listener = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "ok", FailureEvent: "fail" });
    const sockaddr = _[HEAP].listener.getsockname();
    const [port, addr] = unpack_sockaddr_in(sockaddr);
    log.push(sockaddr.length, port > 0, inet_ntoa(addr));
    delete _[HEAP].listener;
  });
  await runAndCheck(base);
  assert.equal(log, [16, true, "127.0.0.1"]);
});

listen("IPv6 listener on ::1 is bound at once and accepts an IPv6 client (wheel_sf_ipv6)", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].listener = SF.new({ SocketDomain: AF_INET6, BindAddress: "::1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "fail" });
    const sockaddr = _[HEAP].listener.getsockname();
    const [port, addr] = unpack_sockaddr_in6(sockaddr);
    log.push(sockaddr.length, inet_ntop(AF_INET6, addr));
    _[HEAP].client = SF.new({ SocketDomain: AF_INET6, RemoteAddress: "::1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "fail" });
  }, {
    accepted: (_) => {
      log.push(["accepted", _[ARG1].length, inet_ntop(AF_INET6, _[ARG1]), typeof _[ARG2]]);
      delete _[HEAP].listener;
    },
    connected: (_) => {
      log.push(["connected", _[ARG1].length, inet_ntop(AF_INET6, _[ARG1])]);
      delete _[HEAP].client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [28, "::1", ["accepted", 16, "::1", "number"], ["connected", 16, "::1"]]);
});

listen("Unix listener binds its path at once; peers are '' and the server path (wheel_sf_unix)", async () => {
  const base = netResources();
  const path = unixPath("sf-unix");
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].listener = SF.new({ SocketDomain: PF_UNIX, BindAddress: path, SuccessEvent: "accepted", FailureEvent: "fail" });
    log.push(unpack_sockaddr_un(_[HEAP].listener.getsockname()) === path);
    _[HEAP].client = SF.new({ SocketDomain: PF_UNIX, RemoteAddress: path, SuccessEvent: "connected", FailureEvent: "fail" });
  }, {
    accepted: (_) => {
      log.push(["accepted", _[ARG1], _[ARG2]]);
      delete _[HEAP].listener;
    },
    connected: (_) => {
      log.push(["connected", _[ARG1] === path, _[ARG2]]);
      delete _[HEAP].client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [true, ["accepted", "", undefined], ["connected", true, undefined]]);
});

listen("a port in use is a queued FailureEvent ('bind', 98), before later yields", async () => {
  // POE 1.370: fail bind 98 [Address already in use], then the yield made after new().
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].a = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "ok", FailureEvent: "fail" });
    const [port] = unpack_sockaddr_in(_[HEAP].a.getsockname());
    _[HEAP].b = SF.new({ BindAddress: "127.0.0.1", BindPort: port, SuccessEvent: "ok", FailureEvent: "fail" });
    _[HEAP].id = _[HEAP].b.ID();
    log.push(_[HEAP].b.getsockname());
    _[KERNEL].yield("after");
  }, {
    after: (_) => {
      log.push("after");
      delete _[HEAP].a;
      delete _[HEAP].b;
    },
    fail: (_) => log.push(["fail", _[ARG0], _[ARG1], _[ARG2], _[ARG3] === _[HEAP].id]),
  });
  await runAndCheck(base);
  assert.equal(log, [undefined, ["fail", "bind", 98, "Address already in use", true], "after"]);
});

listen("an address the host does not have is ('bind', 99)", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].l = SF.new({ BindAddress: "10.255.255.1", BindPort: 0, SuccessEvent: "ok", FailureEvent: "fail" });
  }, { fail: (_) => { log.push([_[ARG0], _[ARG1], _[ARG2]]); delete _[HEAP].l; } });
  await runAndCheck(base);
  assert.equal(log, [["bind", 99, "Cannot assign requested address"]]);
});

listen("pause_accept holds connections back until resume_accept, in order", async () => {
  const base = netResources();
  const log: unknown[] = [];
  let port = 0;
  session(log, (_) => {
    _[KERNEL].alias_set("server");
    _[HEAP].listener = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "fail" });
    [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    _[HEAP].listener.pause_accept();
    _[HEAP].count = 0;
  }, {
    resume: (_) => {
      log.push("resume");
      _[HEAP].listener.resume_accept();
    },
    accepted: (_) => {
      log.push(["accepted", _[ARG2] > 0]);
      if (++_[HEAP].count === 2) {
        delete _[HEAP].listener;
        _[KERNEL].alias_remove("server");
      }
    },
  });
  session(log, (_) => {
    _[HEAP].connected = 0;
    _[HEAP].a = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "fail" });
    _[HEAP].b = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "fail" });
  }, {
    connected: (_) => {
      log.push("connected");
      if (++_[HEAP].connected === 2) _[KERNEL].post("server", "resume");
    },
  });
  await runAndCheck(base);
  assert.equal(log, ["connected", "connected", "resume", ["accepted", true], ["accepted", true]]);
});

listen("delete heap.listener closes the port: a connect is then refused", async () => {
  // The conformance corpus makes its refused port this way.
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].listener = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "ok", FailureEvent: "fail" });
    const [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    delete _[HEAP].listener;
    _[HEAP].c = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "ok", FailureEvent: "fail" });
    _[HEAP].id = _[HEAP].c.ID();
  }, { fail: (_) => { log.push([_[ARG0], _[ARG1], _[ARG2], _[ARG3] === _[HEAP].id]); delete _[HEAP].c; } });
  await runAndCheck(base);
  assert.equal(log, [["connect", 111, "Connection refused", true]]);
});

listen.run();

// ---

const connect = suite("SocketFactory connect");

/** A session with a listener on 127.0.0.1 (`accepted`) and a client to `remote` at its port (`connected`). */
function connectOnce(log: unknown[], remote: string, states: Record<string, (_: any) => void>): void {
  session(log, (_) => {
    _[HEAP].listener = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "fail" });
    [_[HEAP].port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    _[HEAP].client = SF.new({ RemoteAddress: remote, RemotePort: _[HEAP].port, SuccessEvent: "connected", FailureEvent: "fail" });
  }, states);
}

connect("SuccessEvent gives the socket, the packed peer address, its port and the wheel id", async () => {
  const base = netResources();
  const log: unknown[] = [];
  connectOnce(log, "localhost", {
    accepted: (_) => {
      log.push(["accepted", Buffer.compare(_[ARG1], inet_aton("127.0.0.1") as Buffer), typeof _[ARG2], _[ARG3] === _[HEAP].listener.ID()]);
      delete _[HEAP].listener;
    },
    connected: (_) => {
      log.push(["connected", inet_ntoa(_[ARG1]), _[ARG2] === _[HEAP].port, _[ARG3] === _[HEAP].client.ID(), typeof _[ARG0].write]);
      delete _[HEAP].client;
    },
  });
  await runAndCheck(base);
  // As in POE, the accept (a read) is seen before the connect completes (a write).
  assert.equal(log, [["accepted", 0, "number", true], ["connected", "127.0.0.1", true, true, "function"]]);
});

connect("the packed peer address is a new Buffer every time, even when the address is the last one packed", () => {
  const first = packAddress("inet", "127.0.0.1");
  first[0] = 9;
  const second = packAddress("inet", "127.0.0.1");
  assert.equal([...second], [127, 0, 0, 1]);
  assert.ok(first !== second);
  assert.equal([...packAddress("inet", "::ffff:10.1.2.3")], [10, 1, 2, 3]);
  assert.equal([...packAddress("inet6", "::1")], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal([...packAddress("inet", "127.0.0.1")], [127, 0, 0, 1]);
});

connect("a connection to the unspecified address 0.0.0.0 reports the local peer it reached, 127.0.0.1", async () => {
  const base = netResources();
  const log: unknown[] = [];
  connectOnce(log, "0.0.0.0", {
    accepted: (_) => {
      delete _[HEAP].listener;
    },
    connected: (_) => {
      log.push(["connected", inet_ntoa(_[ARG1]), _[ARG2] === _[HEAP].port]);
      delete _[HEAP].client;
    },
  });
  await runAndCheck(base);
  assert.equal(log, [["connected", "127.0.0.1", true]]);
});

connect("a refused connection is FailureEvent ('connect', 111, 'Connection refused', id)", async () => {
  // POE 1.370: fail connect 111 [Connection refused] 9 (RemotePort 1 on 127.0.0.1).
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].c = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: 1, SuccessEvent: "ok", FailureEvent: "fail" });
    _[HEAP].id = _[HEAP].c.ID();
  }, { fail: (_) => log.push([_[ARG0], _[ARG1], _[ARG2], _[ARG3] === _[HEAP].id]) });
  await runAndCheck(base);
  assert.equal(log, [["connect", 111, "Connection refused", true]]);
});

connect("a service name port is looked up in /etc/services ('echo' is 7)", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].c = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: "echo", SuccessEvent: "ok", FailureEvent: "fail" });
    _[HEAP].d = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: "nosuchservice", SuccessEvent: "ok", FailureEvent: "fail" });
  }, { fail: (_) => log.push([_[ARG0], _[ARG1], _[ARG2]]) });
  await runAndCheck(base);
  // Which comes first depends on when the refusal is seen (in POE too: its
  // I/O phase ran the refused connect before the queued failure).
  assert.equal(log.sort(), [["connect", 111, "Connection refused"], ["getservbyname", 99, "Cannot assign requested address"]]);
});

connect("a host name that does not resolve is ('inet_aton', 99) for AF_INET, ('getaddrinfo', 99) for AF_INET6", async () => {
  // POE 1.370: fail inet_aton 99 [Cannot assign requested address]; fail getaddrinfo 99 [...].
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].a = SF.new({ RemoteAddress: "nonexistent.invalid", RemotePort: 80, SuccessEvent: "ok", FailureEvent: "fail" });
    _[HEAP].b = SF.new({ SocketDomain: AF_INET6, RemoteAddress: "nonexistent.invalid", RemotePort: 80, SuccessEvent: "ok", FailureEvent: "fail" });
  }, { fail: (_) => log.push([_[ARG0], _[ARG1], _[ARG2]]) });
  await runAndCheck(base);
  assert.equal(log.sort(), [["getaddrinfo", 99, "Cannot assign requested address"], ["inet_aton", 99, "Cannot assign requested address"]]);
});

connect("constructor failures are queued and arrive even after the wheel is deleted", async () => {
  // POE 1.370: a domain failure yielded by new() survives `delete $heap->{a}`.
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].a = SF.new({ SocketDomain: 12345, RemoteAddress: "x", RemotePort: 1, SuccessEvent: "ok", FailureEvent: "fail" });
    _[HEAP].b = SF.new({ RemoteAddress: "::1", RemotePort: 1, SuccessEvent: "ok", FailureEvent: "fail" });
    delete _[HEAP].a;
    log.push("deleted");
  }, { fail: (_) => log.push([_[ARG0], _[ARG1], _[ARG2]]) });
  await runAndCheck(base);
  assert.equal(log, ["deleted", ["domain", 0, "SocketDomain 12345 is currently unsupported on this platform"], ["inet_aton", 99, "Cannot assign requested address"]]);
});

connect("deleting a connecting wheel aborts the connect: no event, nothing left open", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].listener = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "fail" });
    const [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    _[HEAP].c = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "fail" });
    delete _[HEAP].c;
    _[KERNEL].delay("done", 0.05);
  }, {
    accepted: () => log.push("accepted"),
    connected: () => log.push("connected"),
    done: (_) => { delete _[HEAP].listener; },
  });
  await runAndCheck(base);
  assert.not.ok(log.includes("connected"));
});

connect("a socket handed out and never wrapped is closed when its session stops", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].listener = SF.new({ BindAddress: "127.0.0.1", BindPort: 0, SuccessEvent: "accepted", FailureEvent: "fail" });
    const [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    _[HEAP].c = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: port, SuccessEvent: "connected", FailureEvent: "fail" });
  }, {
    accepted: (_) => { log.push("accepted"); delete _[HEAP].listener; },
    connected: (_) => { log.push("connected"); delete _[HEAP].c; },
  });
  await runAndCheck(base);
  assert.equal(log, ["accepted", "connected"]);
});

connect("a socket handed out is closed at once when the kernel stops inside SuccessEvent's handler", async () => {
  const base = netResources();
  const log: unknown[] = [];
  connectOnce(log, "127.0.0.1", {
    accepted: (_) => log.push("accepted"),
    connected: (_) => {
      log.push(["connected", _[ARG0].destroyed]);
      _[KERNEL].stop();
      log.push(["stopped", _[ARG0].destroyed]);
    },
  });
  await runAndCheck(base);
  // The handler's own socket closes as its call returns into the stopped session.
  assert.equal(log.filter((entry) => entry !== "accepted"), [["connected", false], ["stopped", false]]);
});

connect("a socket kept in the heap and wrapped by a later event's ReadWrite stays open until then", async () => {
  const base = netResources();
  const log: unknown[] = [];
  connectOnce(log, "127.0.0.1", {
    accepted: (_) => {
      _[HEAP].peer = WheelReadWrite.new({ Handle: _[ARG0], InputEvent: "peer_line", ErrorEvent: "noop" });
      delete _[HEAP].listener;
    },
    peer_line: (_) => {
      log.push(["peer got", _[ARG0]]);
      _[HEAP].peer.put(`echo ${_[ARG0]}`);
    },
    connected: (_) => {
      _[HEAP].socket = _[ARG0];
      delete _[HEAP].client;
      _[KERNEL].delay("wrap", 0.02);
    },
    wrap: (_) => {
      log.push(["wrap", _[HEAP].socket.destroyed]);
      _[HEAP].rw = WheelReadWrite.new({ Handle: _[HEAP].socket, InputEvent: "line", ErrorEvent: "noop" });
      delete _[HEAP].socket;
      _[HEAP].rw.put("hello");
    },
    line: (_) => {
      log.push(["client got", _[ARG0]]);
      delete _[HEAP].rw;
      delete _[HEAP].peer;
    },
    noop: () => {},
  });
  await runAndCheck(base);
  assert.equal(log, [["wrap", false], ["peer got", "hello"], ["client got", "echo hello"]]);
});

connect("event() renames SuccessEvent and FailureEvent", async () => {
  const base = netResources();
  const log: unknown[] = [];
  session(log, (_) => {
    _[HEAP].c = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: 1, SuccessEvent: "ok", FailureEvent: "wrong" });
    _[HEAP].c.event("FailureEvent", "renamed");
  }, {
    wrong: () => log.push("wrong"),
    renamed: (_) => { log.push(["renamed", _[ARG0], _[ARG1]]); delete _[HEAP].c; },
  });
  await runAndCheck(base);
  assert.equal(log, [["renamed", "connect", 111]]);
});

// Node's stream code sees every socket with the shape Node gave it: a
// property of ours would make its inline caches polymorphic.
connect("no property of poe-ts is put on a socket handed out, or on one a ReadWrite reads", async () => {
  const base = netResources();
  const log: unknown[] = [];
  connectOnce(log, "127.0.0.1", {
    accepted: (_) => {
      log.push(["accepted", poeKeys(_[ARG0])]);
      _[HEAP].peer = WheelReadWrite.new({ Handle: _[ARG0], InputEvent: "noop", ErrorEvent: "noop" });
      log.push(["read by a ReadWrite", poeKeys(_[ARG0])]);
      delete _[HEAP].listener;
      delete _[HEAP].peer;
    },
    connected: (_) => {
      log.push(["connected", poeKeys(_[ARG0])]);
      delete _[HEAP].client;
    },
    noop: () => {},
  });
  await runAndCheck(base);
  assert.equal(log, [["accepted", []], ["read by a ReadWrite", []], ["connected", []]]);
});

connect.run();

// ---

const croak = suite("SocketFactory constructor checks");

croak("croaks without SuccessEvent, FailureEvent or (for INET) RemotePort", async () => {
  const errors: string[] = [];
  session([], () => {
    for (const params of [{ FailureEvent: "f" }, { SuccessEvent: "s" }, { SuccessEvent: "s", FailureEvent: "f", RemoteAddress: "127.0.0.1" }]) {
      try {
        SF.new(params as any);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  });
  await poeKernel.run();
  assert.equal(errors, ["SuccessEvent required", "FailureEvent required", "RemotePort required"]);
});

croak("must be created inside a session's handler", () => {
  assert.throws(() => SF.new({ SuccessEvent: "s", FailureEvent: "f" }), /^POE::Wheel::SocketFactory must be created inside a session's event handler/);
});

croak("wheel ids come from one counter shared with ReadWrite, and are freed on destroy", async () => {
  const ids: number[] = [];
  session([], (_) => {
    const a = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: 1, SuccessEvent: "s", FailureEvent: "f" });
    const b = SF.new({ RemoteAddress: "127.0.0.1", RemotePort: 1, SuccessEvent: "s", FailureEvent: "f" });
    ids.push(a.ID(), b.ID());
    _[HEAP].a = a;
    _[HEAP].b = b;
    delete _[HEAP].a;
    delete _[HEAP].b;
    assert.type(WheelReadWrite.new, "function");
  }, { f: () => {} });
  await poeKernel.run();
  assert.is(ids[1], (ids[0] as number) + 1);
});

croak.run();
