// A small multi-session program after the POE::Component::Client::TCP manual's
// Alias parameter ("The most common use of Alias is to allow a client
// component to receive "shutdown" and "reconnect" events from a user
// interface session"). A "ui" session plays a script of commands, posting
// reconnect and then shutdown to the client by its alias, while an
// in-process Server.TCP on 127.0.0.1 numbers the connections it sees.
//
// Run: npx tsx examples/ui-alias.ts
import { POE, ARG0, HEAP, KERNEL, STATE, unpack_sockaddr_in } from "../index.js";

let port = 0;
let connections = 0;

POE.Component.Server.TCP.new({
  Alias: "server",
  Address: "127.0.0.1",
  Port: 0,
  Started: (_) => {
    [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
  },
  ClientConnected: (_) => _[HEAP].client.put(`you are connection ${++connections}`),
  ClientInput: (_) => _[HEAP].client.put(`ack ${_[ARG0]}`),
});

POE.Component.Client.TCP.new({
  Alias: "net",
  RemoteAddress: "127.0.0.1",
  RemotePort: port,
  Connected: () => POE.Kernel.post("ui", "status", "connected"),
  ServerInput: (_) => POE.Kernel.post("ui", "status", `server says: ${_[ARG0]}`),
  Disconnected: (_) => POE.Kernel.post("ui", "status", `disconnected (${_[STATE]})`),
  InlineStates: {
    // Something for the UI to send: put a line if connected.
    say: (_) => {
      if (_[HEAP].connected) _[HEAP].server.put(_[ARG0]);
    },
  },
});

// The UI: each "status" from the client advances the script by one step.
const script: Array<[string, ...unknown[]]> = [
  ["say", "hello"],
  ["noop"],
  ["reconnect"],
  ["noop"],
  ["say", "bye"],
  ["shutdown"],
];

POE.Session.create({
  inline_states: {
    _start: (_) => _[KERNEL].alias_set("ui"),
    status: (_) => {
      console.log(`ui: ${_[ARG0]}`);
      const step = script.shift();
      if (step === undefined) {
        _[KERNEL].alias_remove("ui");
        _[KERNEL].post("server", "shutdown");
        return;
      }
      if (step[0] === "noop") return;
      console.log(`ui: -> ${step.join(" ")}`);
      _[KERNEL].post("net", ...step);
    },
  },
});

await POE.Kernel.run();
console.log("done");
