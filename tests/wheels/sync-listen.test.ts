// The synchronous-bind mechanism behind a listening SocketFactory
// (wheels/sync-listen.ts): bound when listen() returns, on IPv4, IPv6 and
// Unix paths, with bind failures known at once and Node's globals restored.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import dns from "node:dns";
import { createServer, type AddressInfo, type Server } from "node:net";
import { listenNow } from "../../wheels/sync-listen.js";
import { assertNoNetLeaks, netResources, unixPath } from "../helpers/net-resources.js";

function server(): Server {
  const s = createServer();
  s.on("error", () => {});
  return s;
}

function closeAll(...servers: Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())))).then(() => undefined);
}

const bind = suite("listenNow");

bind("binds 127.0.0.1 before it returns", async () => {
  const base = netResources();
  const s = server();
  const outcome = listenNow(s, { host: "127.0.0.1", port: 0 });
  const address = s.address() as AddressInfo;
  assert.equal([outcome.bound, outcome.error, address.address, address.port > 0], [true, undefined, "127.0.0.1", true]);
  await closeAll(s);
  await assertNoNetLeaks(base);
});

bind("binds ::1 before it returns", async () => {
  const base = netResources();
  const s = server();
  const outcome = listenNow(s, { host: "::1", port: 0 });
  assert.equal([outcome.bound, (s.address() as AddressInfo).family], [true, "IPv6"]);
  await closeAll(s);
  await assertNoNetLeaks(base);
});

bind("binds a Unix path before it returns; a second bind on it fails at once", async () => {
  const base = netResources();
  const path = unixPath("sync-listen");
  const a = server();
  const b = server();
  assert.is(listenNow(a, { path }).bound, true);
  assert.is(a.address(), path);
  const outcome = listenNow(b, { path });
  assert.equal([outcome.bound, (outcome.error as NodeJS.ErrnoException).code], [false, "EADDRINUSE"]);
  await closeAll(a, b);
  await assertNoNetLeaks(base);
});

bind("a port in use fails inside the call, with Node's error object", async () => {
  const base = netResources();
  const a = server();
  const b = server();
  listenNow(a, { host: "127.0.0.1", port: 0 });
  const outcome = listenNow(b, { host: "127.0.0.1", port: (a.address() as AddressInfo).port });
  assert.equal([outcome.bound, outcome.pending, (outcome.error as NodeJS.ErrnoException).code], [false, false, "EADDRINUSE"]);
  await closeAll(a, b);
  await assertNoNetLeaks(base);
});

bind("dns.lookup and process.nextTick are restored, also after a throw", async () => {
  const lookup = dns.lookup;
  const nextTick = process.nextTick;
  const s = server();
  const outcome = listenNow(s, { host: "127.0.0.1", port: 70000 });
  assert.is((outcome.error as NodeJS.ErrnoException).code, "ERR_SOCKET_BAD_PORT");
  assert.is(dns.lookup, lookup);
  assert.is(process.nextTick, nextTick);
  await closeAll(s);
});

bind.run();
