// npm run demo: POE.Component.Client.TCP talking to an embedded
// POE.Component.Server.TCP on 127.0.0.1. It shows, in order: lines received,
// the server dropping the connection, the client reconnecting from its
// Disconnected callback after a delay (the manual's `delay(reconnect => ...)`),
// and a graceful shutdown whose pending output is flushed before the close.
// Nothing leaves the loopback interface, and the program ends by itself.
import { POE, ARG0, ARG1, ARG2, HEAP, KERNEL, STATE, unpack_sockaddr_in } from "../index.js";

const t0 = POE.time();
const say = (who: string, text: string) => console.log(`[+${(POE.time() - t0).toFixed(2)}s] ${who.padEnd(6)} ${text}`);

const FINAL_LINES = 50_000;
let port = 0;
let connection = 0;

// --- the server ------------------------------------------------------------

POE.Component.Server.TCP.new({
  Alias: "server",
  Address: "127.0.0.1",
  Port: 0,
  // One newline style both ways, so a CR and its LF split across two reads
  // cannot make an extra empty line (the default Line filter's POE quirk).
  ClientFilter: ["POE::Filter::Line", { Literal: "\n" }],
  Started: (_) => {
    [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
    say("server", `listening on 127.0.0.1:${port}`);
  },
  ClientConnected: (_) => {
    const n = (_[HEAP].n = ++connection);
    _[HEAP].received = 0;
    say("server", `connection ${n} from ${_[HEAP].remote_ip}:${_[HEAP].remote_port}`);
    if (n === 1) {
      _[HEAP].client.put("headline 1: POE runs on Node", "headline 2: sessions, wheels, filters", "headline 3: this connection will drop");
      _[KERNEL].delay("drop", 0.5);
    } else _[HEAP].client.put("welcome back");
  },
  ClientInput: (_) => {
    _[HEAP].received++;
  },
  ClientDisconnected: (_) => {
    if (_[HEAP].n === 1) return;
    say("server", `client ${_[HEAP].n} closed after sending ${_[HEAP].received} lines`);
    _[KERNEL].post("server", "shutdown");
  },
  InlineStates: {
    drop: (_) => {
      say("server", "dropping connection 1");
      _[KERNEL].yield("shutdown");
    },
  },
  Stopped: () => say("server", "stopped"),
});

// --- the client ------------------------------------------------------------

POE.Component.Client.TCP.new({
  Alias: "client",
  RemoteAddress: "127.0.0.1",
  RemotePort: port,
  Filter: ["POE::Filter::Line", { Literal: "\n" }],
  Started: () => say("client", "started, connecting"),
  Connected: (_) => say("client", `connected to ${_[ARG1].join(".")}:${_[ARG2]}`),
  ServerInput: (_) => {
    say("client", `got line: ${_[ARG0]}`);
    if (_[ARG0] !== "welcome back") return;
    for (let i = 1; i <= FINAL_LINES; i++) _[HEAP].server.put(`final line ${i} ${"-".repeat(60)}`);
    _[HEAP].final_queued = 1;
    say("client", `queued ${FINAL_LINES} lines, asking for a graceful shutdown`);
    _[KERNEL].yield("shutdown");
  },
  ServerError: (_) => say("client", `server error: ${_[ARG0]} ${_[ARG1]} ${JSON.stringify(_[ARG2])}${_[ARG1] === 0 ? " (the server closed the connection)" : ""}`),
  ServerFlushed: (_) => {
    if (_[HEAP].final_queued) say("client", "all output flushed");
  },
  Disconnected: (_) => {
    say("client", `disconnected (in ${_[STATE]})`);
    _[HEAP].drops = (_[HEAP].drops ?? 0) + 1;
    if (_[HEAP].drops === 1) {
      say("client", "reconnecting in 1 second");
      _[KERNEL].delay("reconnect", 1);
    }
  },
  InlineStates: {
    _stop: () => say("client", "session ended"),
  },
});

await POE.Kernel.run();
say("demo", "POE.Kernel.run() resolved: every session has stopped");
