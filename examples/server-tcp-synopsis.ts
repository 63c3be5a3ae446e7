// Port of the synopsis of POE::Component::Server::TCP (POE 1.370): a rot13
// server that greets each connection with "Smile from the server!". Here it
// listens on 127.0.0.1 port 0, and a Client.TCP in the same program sends it
// two lines, prints the replies, and shuts both down, so the program ends.
//
// Run: npx tsx examples/server-tcp-synopsis.ts
import { POE, ARG0, HEAP, KERNEL, unpack_sockaddr_in } from "../index.js";

let port = 0;

POE.Component.Server.TCP.new({
  Alias: "rot13",
  Address: "127.0.0.1",
  Port: 0,
  Started: (_) => {
    [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
  },
  ClientConnected: (_) => {
    console.log(`got a connection from ${_[HEAP].remote_ip}`);
    _[HEAP].client.put("Smile from the server!");
  },
  ClientInput: (_) => {
    const clientInput: string = _[ARG0];
    _[HEAP].client.put(clientInput.replace(/[a-zA-Z]/g, (c) => String.fromCharCode((c <= "Z" ? 65 : 97) + ((c.charCodeAt(0) - (c <= "Z" ? 65 : 97) + 13) % 26))));
  },
  ClientDisconnected: (_) => _[KERNEL].post("rot13", "shutdown"),
});

POE.Component.Client.TCP.new({
  RemoteAddress: "127.0.0.1",
  RemotePort: port,
  Connected: (_) => _[HEAP].server.put("Hello, world!", "Uryyb, jbeyq!"),
  ServerInput: (_) => {
    console.log(`client got: ${_[ARG0]}`);
    _[HEAP].replies = (_[HEAP].replies ?? 0) + 1;
    if (_[HEAP].replies === 3) _[KERNEL].yield("shutdown");
  },
});

await POE.Kernel.run();
