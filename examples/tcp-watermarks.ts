// Port of POE 1.370's examples/tcp_watermarks.perl: a chargen service built
// on Server.TCP with its own Acceptor, whose ReadWrite wheel throttles itself
// with HighMark/LowMark ("writes are paused", "is resuming"). The Perl program
// listens on port 32100 and waits for someone to connect; this one listens on
// 127.0.0.1 port 0 and connects a Client.TCP that reads 2000 lines and leaves.
//
// Run: npx tsx examples/tcp-watermarks.ts
import { POE, ARG0, ARG1, ARG2, HEAP, KERNEL, SESSION, unpack_sockaddr_in } from "../index.js";
import type { HandlerArgs } from "../index.js";

// Chargen::Connection: one session per accepted socket.
const ChargenConnection = {
  new(socket: unknown): void {
    POE.Session.create({
      inline_states: {
        _start: (_) => {
          _[HEAP].wheel = POE.Wheel.ReadWrite.new({
            Handle: _[ARG0],
            Filter: POE.Filter.Line.new(),
            InputEvent: "wheel_got_input",
            ErrorEvent: "wheel_got_error",
            HighMark: 1024,
            LowMark: 128,
            HighEvent: "wheel_throttle",
            LowEvent: "wheel_resume",
          });
          _[HEAP].okay_to_send = 1;
          _[HEAP].start_character = 32;
          _[KERNEL].yield("write_chunk");
        },
        wheel_got_input: (_) => console.warn(`Chargen session ${_[SESSION].ID()} is ignoring some input.`),
        wheel_got_error: (_) => {
          console.log(`Chargen session ${_[SESSION].ID()} encountered ${_[ARG0]} error ${_[ARG1]}: ${_[ARG2] || "(end of stream)"}`);
          _[HEAP].okay_to_send = 0;
          delete _[HEAP].wheel;
        },
        wheel_throttle: (_) => {
          _[HEAP].throttles = (_[HEAP].throttles ?? 0) + 1;
          _[HEAP].okay_to_send = 0;
        },
        wheel_resume: (_) => {
          if (!_[HEAP].wheel) return;
          _[HEAP].resumes = (_[HEAP].resumes ?? 0) + 1;
          _[HEAP].okay_to_send = 1;
          _[KERNEL].yield("write_chunk");
        },
        write_chunk: writeChunk,
        _stop: (_) => console.log(`Chargen session ${_[SESSION].ID()} throttled ${_[HEAP].throttles ?? 0} times and resumed ${_[HEAP].resumes ?? 0} times.`),
      },
      args: [socket],
    });
  },
};

// Enqueue chargen lines until put() reports the high-water mark.
function writeChunk(_: HandlerArgs): void {
  const heap = _[HEAP];
  if (!heap.okay_to_send) return;
  for (;;) {
    let line = "";
    for (let c = heap.start_character; c < heap.start_character + 72; c++) line += String.fromCharCode(c > 126 ? c - 95 : c);
    if (++heap.start_character > 126) heap.start_character = 32;
    if (heap.wheel.put(line)) break;
  }
}

let port = 0;
POE.Component.Server.TCP.new({
  Alias: "chargen",
  Address: "127.0.0.1",
  Port: 0,
  Started: (_) => {
    [port] = unpack_sockaddr_in(_[HEAP].listener.getsockname());
  },
  Acceptor: (_) => ChargenConnection.new(_[ARG0]),
});

console.log("*** A watermarked (self-throttling) chargen service is listening on 127.0.0.1.");

POE.Component.Client.TCP.new({
  RemoteAddress: "127.0.0.1",
  RemotePort: port,
  ServerInput: (_) => {
    const n = (_[HEAP].lines = (_[HEAP].lines ?? 0) + 1);
    if (n === 1) console.log(`client: first line: ${_[ARG0]}`);
    if (n === 2000) {
      console.log("client: read 2000 lines, disconnecting");
      _[KERNEL].yield("shutdown");
      _[KERNEL].post("chargen", "shutdown");
    }
  },
});

await POE.Kernel.run();
console.log("done");
