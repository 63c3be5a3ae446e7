/**
 * Helpers for the component suites: raw node:net peers on 127.0.0.1 port 0,
 * a listener that never completes a connect, a refused port, and the
 * after-test check that nothing (socket, server, timer) was left behind.
 */
import * as assert from "uvu/assert";
import net from "node:net";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { poeKernel, realClock } from "../../../kernel/index.js";

export { captureWarnings } from "../../helpers/kernel-harness.js";

// Peers a test started; runAndCheck() closes them before its leak check.
const peers = new Set<{ close(): Promise<void> }>();

function track<T extends { close(): Promise<void> }>(peer: T): T {
  let closing: Promise<void> | undefined;
  const close = peer.close;
  peer.close = () => {
    peers.delete(peer);
    return (closing ??= close());
  };
  peers.add(peer);
  return peer;
}

/** Close every peer a test started (idempotent). */
export async function closePeers(): Promise<void> {
  await Promise.all([...peers].map((peer) => peer.close()));
}

/** A plain node:net server on 127.0.0.1, port 0. */
export interface RawServer {
  port: number;
  server: net.Server;
  sockets: net.Socket[];
  close(): Promise<void>;
}

/** Start a raw server; `onConnection` runs for each accepted socket. */
export function rawServer(onConnection: (socket: net.Socket, index: number) => void, host = "127.0.0.1"): Promise<RawServer> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    sockets.push(socket);
    onConnection(socket, sockets.length - 1);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: 0 }, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve(track({
        port,
        server,
        sockets,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }));
    });
  });
}

/** A port that was just bound and released: connecting to it is refused. */
export function refusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A listener whose accept queue is full: a Perl process listens with
 * backlog 0 and never accepts, and one connection fills the queue, so the
 * kernel drops every further SYN and a connect to `port` never completes.
 */
export interface StalledListener {
  port: number;
  close(): Promise<void>;
}

export async function stalledListener(): Promise<StalledListener> {
  const script =
    'socket(S, PF_INET, SOCK_STREAM, 0) or die; bind(S, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die;' +
    ' listen(S, 0) or die; my ($p) = unpack_sockaddr_in(getsockname(S)); $| = 1; print "$p\\n"; <STDIN>;';
  const child: ChildProcess = spawn("perl", ["-MSocket", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout!.once("data", (data) => resolve(Number(String(data).trim())));
  });
  const filler = net.connect({ host: "127.0.0.1", port });
  filler.on("error", () => {});
  await new Promise((resolve) => filler.once("connect", resolve));
  return track({
    port,
    close: () =>
      new Promise<void>((done) => {
        filler.destroy();
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.stdin!.end();
      }),
  });
}

// What was alive before any test ran (stdio pipes, the test runner's own).
const baseline = process.getActiveResourcesInfo();

/** The resources alive now beyond the baseline: sockets, servers, timers, processes. */
function leftovers(): string[] {
  const rest = [...baseline];
  const out: string[] = [];
  for (const r of process.getActiveResourcesInfo()) {
    const i = rest.indexOf(r);
    if (i >= 0) rest.splice(i, 1);
    else if (/TCP|Pipe|Timeout|Immediate|Process/.test(r)) out.push(r);
  }
  return out;
}

/**
 * After `await POE.Kernel.run()`: the kernel holds no session or event,
 * and within a short grace (a destroyed socket's handle closes on the next
 * turn) no socket, server, timer or child process is alive.
 */
export async function assertClean(): Promise<void> {
  assert.is(poeKernel.get_event_count(), 0, "events left in the kernel's queue");
  assert.is(poeKernel._sessions.size, 0, "sessions left in the kernel");
  for (let i = 0; i < 50 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(leftovers(), [], "sockets, servers or timers left behind");
}

/** Use the real clock again (a test may have installed a virtual one). */
export function realTime(): void {
  poeKernel.set_clock(realClock);
}

/** Run the kernel with a safety bound, close the test's peers, then check for leftovers. */
export async function runAndCheck(limitMs = 10_000): Promise<void> {
  await runKernel(limitMs);
  await clean();
}

/** Close the test's peers, then check that nothing is left behind. */
export async function clean(): Promise<void> {
  await closePeers();
  await assertClean();
}

/** `await POE.Kernel.run()`, failing after `limitMs`. */
export async function runKernel(limitMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run() did not finish within ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([poeKernel.run(), guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collect everything written to a raw socket until its peer's end (or its close). */
export function collect(socket: net.Socket): Promise<string> {
  let text = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    text += chunk;
  });
  return new Promise((resolve) => {
    socket.once("end", () => resolve(text));
    socket.once("close", () => resolve(text));
  });
}

/** A raw node:net client: `lines` are sent once connected; `text` is everything received until the server's end. */
export function rawClient(port: number, lines: string[] = [], host = "127.0.0.1"): { socket: net.Socket; text: Promise<string> } {
  const socket = net.connect({ host, port });
  socket.on("error", () => {});
  const text = collect(socket);
  socket.once("connect", () => {
    if (lines.length > 0) socket.write(lines.map((l) => `${l}\r\n`).join(""));
  });
  track({ close: async () => void socket.destroy() });
  return { socket, text };
}
