// Workload "tcp_echo_rtt" (../shared/bench/README.md), the project's raw-Node baseline, copied from ../shared/bench/node/tcp_echo_rtt.mjs (raw Node baseline: node:net with manual newline splitting).
// Definition: start server/tcp_server.mjs in "echo" mode (plain node:net, 127.0.0.1, port 0, a
//   separate process, TCP_NODELAY, echoes bytes back as they come). The client connects with
//   net.connect (default socket options, like POE's client); on "connect" the clock starts (t0)
//   and line 0 is written; each complete echoed line (latin1, split on "\n" by hand) must equal
//   the line just sent, its round-trip time (write -> line handler) is recorded, and the next line
//   is written, until N round trips (default N = 20000) are done (t1); then the client ends the
//   socket. Line i is String(i).padStart(8, "0") followed by 91 "x" and "\n" (100 bytes).
//   One line in flight at a time.
//   Metrics: rate = N / (t1 - t0) round trips/s; median (p50) and p99 round-trip latency in
//   microseconds; CPU time and peak RSS of this client process only.
// Output: METRIC lines, then exactly one final line "RESULT tcp_echo_rtt rate=<n> roundtrips/s".
import net from 'node:net';
import { peakRssMiB, startServer } from './common.mjs';

const N = Number(process.argv[2] ?? 20000);

const { child, port } = await startServer('echo', '1');
const pad = 'x'.repeat(91);
const lineFor = (i) => String(i).padStart(8, '0') + pad;
const rtt = new Float64Array(N);
let n = 0, t0 = 0, t1 = 0, tSend = 0, err = '';

const sock = net.connect({ host: '127.0.0.1', port });
sock.setEncoding('latin1');
const send = () => { tSend = performance.now(); sock.write(lineFor(n) + '\n'); };
function onLine(line) {
  const now = performance.now();
  rtt[n] = now - tSend;
  if (line !== lineFor(n)) { err = `bad echo for line ${n}`; sock.end(); return; }
  if (++n < N) send();
  else { t1 = now; sock.end(); }
}
let rest = '';
sock.on('connect', () => { t0 = performance.now(); send(); });
sock.on('data', (chunk) => {
  const s = rest.length ? rest + chunk : chunk;
  let start = 0, nl;
  while ((nl = s.indexOf('\n', start)) !== -1) {
    const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    onLine(s.slice(start, end));
    start = nl + 1;
  }
  rest = start < s.length ? s.slice(start) : '';
});
sock.on('error', (e) => { err = e.message; });
sock.on('close', () => {
  child.kill();
  if (err || n !== N) { console.error(`tcp_echo_rtt: ${err || `${n} of ${N} round trips`}`); process.exit(1); }
  const sorted = Array.from(rtt).sort((a, b) => a - b);
  const el = (t1 - t0) / 1000;
  const cpu = process.cpuUsage();
  console.log(`METRIC tcp_echo_rtt elapsed=${(el * 1000).toFixed(1)} ms`);
  console.log(`METRIC tcp_echo_rtt p50_latency=${(sorted[Math.floor((N - 1) / 2)] * 1000).toFixed(1)} us`);
  console.log(`METRIC tcp_echo_rtt p99_latency=${(sorted[Math.floor((N - 1) * 0.99)] * 1000).toFixed(1)} us`);
  console.log(`METRIC tcp_echo_rtt cpu=${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  console.log(`METRIC tcp_echo_rtt peak_rss=${peakRssMiB().toFixed(1)} MiB`);
  console.log(`RESULT tcp_echo_rtt rate=${(N / el).toFixed(0)} roundtrips/s`);
});
