// Port of the synopsis of POE::Component::Client::TCP (POE 1.370's manual
// page, the seed of this project): "Basic usage", a client that prints what
// a chargen server sends. The chargen service is not assumed to exist, so a
// small one runs here on 127.0.0.1 (Server.TCP) and sends ten lines; the
// client asks to shut down after five, but as in POE the lines that came in
// the same read are still delivered before the shutdown event runs.
//
// Run: npx tsx examples/client-tcp-synopsis.ts
import { POE, ARG0, HEAP, KERNEL, AF_INET, unpack_sockaddr_in } from "../index.js";

let chargenPort = 0;

// A chargen server: 72-column lines of rotating printable characters.
POE.Component.Server.TCP.new({
  Alias: "chargen",
  Address: "127.0.0.1",
  Port: 0,
  Started: (_) => {
    [chargenPort] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
  },
  ClientConnected: (_) => {
    for (let start = 32; start < 42; start++) {
      let line = "";
      for (let c = start; c < start + 72; c++) line += String.fromCharCode(32 + ((c - 32) % 95));
      _[HEAP].client.put(line);
    }
  },
  ClientInput: () => {},
  ClientDisconnected: (_) => _[KERNEL].post("chargen", "shutdown"),
});

// Basic usage, as in the manual.
POE.Component.Client.TCP.new({
  RemoteAddress: "127.0.0.1",
  RemotePort: chargenPort,
  Domain: AF_INET, // Optional.
  Alias: "chargen client", // Optional.
  ServerInput: (_) => {
    const input = _[ARG0];
    console.log(`from server: ${input}`);
    _[HEAP].lines = (_[HEAP].lines ?? 0) + 1;
    if (_[HEAP].lines === 5) _[KERNEL].yield("shutdown");
  },
});

await POE.Kernel.run();
