// Error tuples and Perl's Socket functions. Expected values were printed by
// Perl 5.36 (`perl -e '$!=111; print "$!"'`, Socket's pack/unpack functions).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import { errorTuple, errnoOf, isDnsError, strerror } from "../../wheels/errors.js";
import {
  AF_INET6, inet_aton, inet_ntoa, inet_ntop, inet_pton, pack_sockaddr_in, pack_sockaddr_in6, pack_sockaddr_un,
  unpack_sockaddr_in, unpack_sockaddr_in6, unpack_sockaddr_un,
} from "../../wheels/index.js";
import { getservbyname, hostsLookup } from "../../wheels/sockaddr.js";

function nodeError(code: string, syscall: string): Error {
  return Object.assign(new Error(`${syscall} ${code}: Node's own text`), { code, syscall, errno: -errnoOf(code) });
}

// ---

const tuples = suite("errorTuple");

tuples("maps Node errors to (syscall, positive errno, strerror text)", () => {
  assert.equal(errorTuple(nodeError("ECONNREFUSED", "connect")), ["connect", 111, "Connection refused"]);
  assert.equal(errorTuple(nodeError("ETIMEDOUT", "connect")), ["connect", 110, "Connection timed out"]);
  assert.equal(errorTuple(nodeError("ECONNRESET", "read")), ["read", 104, "Connection reset by peer"]);
  assert.equal(errorTuple(nodeError("EPIPE", "write")), ["write", 32, "Broken pipe"]);
  assert.equal(errorTuple(nodeError("ENOENT", "connect")), ["connect", 2, "No such file or directory"]);
  assert.equal(errorTuple(nodeError("EACCES", "listen")), ["listen", 13, "Permission denied"]);
});

tuples("the syscall can be named as POE names it (Node says 'listen' for a failed bind)", () => {
  assert.equal(errorTuple(nodeError("EADDRINUSE", "listen"), "bind"), ["bind", 98, "Address already in use"]);
  assert.equal(errorTuple(nodeError("EADDRNOTAVAIL", "listen"), "bind"), ["bind", 99, "Cannot assign requested address"]);
});

tuples("Node codes without an errno map to the system error they stand for", () => {
  assert.equal(errorTuple({ code: "ERR_STREAM_DESTROYED" }, "write"), ["write", 32, "Broken pipe"]);
  assert.equal(errorTuple({ code: "ERR_SOCKET_CLOSED" }, "write"), ["write", 32, "Broken pipe"]);
  assert.equal(errorTuple(new Error("no code"), "read"), ["read", 5, "Input/output error"]);
  assert.equal(errorTuple("not even an object"), ["unknown", 5, "Input/output error"]);
});

tuples("resolver failures are recognised", () => {
  assert.ok(isDnsError({ code: "ENOTFOUND" }));
  assert.ok(isDnsError({ code: "EAI_AGAIN" }));
  assert.not.ok(isDnsError({ code: "ECONNREFUSED" }));
});

tuples("strerror texts are glibc's", () => {
  assert.is(strerror("EMSGSIZE"), "Message too long");
  assert.is(strerror("EHOSTUNREACH"), "No route to host");
  assert.is(strerror("ENETUNREACH"), "Network is unreachable");
  assert.is(strerror("ECONNABORTED"), "Software caused connection abort");
});

tuples.run();

// ---

const socket = suite("Socket functions");

socket("pack_sockaddr_in lays out struct sockaddr_in as Perl does", () => {
  // perl -MSocket=:all -e 'print unpack("H*", pack_sockaddr_in(80, inet_aton("1.2.3.4")))'
  assert.is(pack_sockaddr_in(80, inet_aton("1.2.3.4") as Buffer).toString("hex"), "02000050010203040000000000000000");
  const [port, addr] = unpack_sockaddr_in(Buffer.from("02000050010203040000000000000000", "hex"));
  assert.equal([port, inet_ntoa(addr)], [80, "1.2.3.4"]);
});

socket("unpack_sockaddr_in croaks on the wrong length, with Perl's text", () => {
  assert.throws(() => unpack_sockaddr_in(Buffer.alloc(28)), /^Bad arg length for Socket::unpack_sockaddr_in, length is 28, should be 16$/);
  assert.throws(() => inet_ntoa(Buffer.from("abc")), /^Bad arg length for Socket::inet_ntoa, length is 3, should be 4$/);
  assert.throws(() => unpack_sockaddr_in(undefined), /requires a packed address/);
});

socket("sockaddr_in6 and sockaddr_un round-trip", () => {
  const v6 = inet_pton(AF_INET6, "::1") as Buffer;
  assert.is(pack_sockaddr_in6(80, v6).length, 28);
  const [port, addr] = unpack_sockaddr_in6(pack_sockaddr_in6(80, v6));
  assert.equal([port, inet_ntop(AF_INET6, addr)], [80, "::1"]);
  assert.is(inet_ntop(AF_INET6, inet_pton(AF_INET6, "2001:db8::ff00:42:8329") as Buffer), "2001:db8::ff00:42:8329");
  assert.is(inet_ntop(AF_INET6, inet_pton(AF_INET6, "::ffff:127.0.0.1") as Buffer), "::ffff:7f00:1");
  assert.is(pack_sockaddr_un("/tmp/x").length, 110);
  assert.is(unpack_sockaddr_un(pack_sockaddr_un("/tmp/x")), "/tmp/x");
});

socket("inet_aton takes dotted quads and /etc/hosts names; undefined otherwise", () => {
  assert.equal([...(inet_aton("127.0.0.1") as Buffer)], [127, 0, 0, 1]);
  assert.is(inet_ntoa(inet_aton("localhost") as Buffer), hostsLookup("localhost", 4));
  assert.is(inet_aton("nonexistent.invalid"), undefined);
});

socket("getservbyname reads /etc/services", () => {
  assert.is(getservbyname("echo", "tcp"), 7);
  assert.is(getservbyname("nosuchservice", "tcp"), undefined);
});

socket.run();
