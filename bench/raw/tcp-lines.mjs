// Workload "tcp_lines" (../shared/bench/README.md), the project's raw-Node baseline, copied from ../shared/bench/node/tcp_lines.mjs (raw Node baseline: node:net with manual newline splitting, no framework).
// Definition: start server/tcp_server.mjs in "lines" mode (plain node:net, 127.0.0.1, port 0, a
//   separate process). It sends M lines (default M = 1000000) of 100 bytes each (99 payload bytes
//   + "\n") on the first connection, then closes. The client connects with net.connect; the clock
//   starts on "connect" (t0). Data is decoded as latin1 (byte-for-byte, like Perl's byte strings),
//   split on "\n" by hand (a trailing "\r" is stripped, as POE::Filter::Line would), and each line
//   is passed to a handler that counts lines and payload bytes; the clock stops on "end" (t1).
//   All M lines of 99 bytes must arrive.
//   Metrics: rate = M / (t1 - t0) lines/s; throughput = M * 100 / (t1 - t0) / 1e6 MB/s (bytes on
//   the wire); CPU time and peak RSS of this client process only (the server is not counted).
// Output: METRIC lines, then exactly one final line "RESULT tcp_lines rate=<n> lines/s".
import net from 'node:net';
import { peakRssMiB, startServer } from './common.mjs';

const M = Number(process.argv[2] ?? 1e6);
const LINE = 100;

const { child, port } = await startServer('lines', String(M), String(LINE));
let lines = 0, bytes = 0, t0 = 0, t1 = 0;
const onLine = (line) => { lines++; bytes += line.length; };

const sock = net.connect({ host: '127.0.0.1', port });
sock.setEncoding('latin1');
let rest = '';
sock.on('connect', () => { t0 = performance.now(); });
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
sock.on('end', () => { t1 = performance.now(); });
sock.on('error', (e) => { console.error(`tcp_lines: ${e.message}`); process.exit(1); });
sock.on('close', () => {
  child.kill();
  if (lines !== M || bytes !== M * (LINE - 1)) {
    console.error(`tcp_lines: got ${lines} lines / ${bytes} bytes, expected ${M} / ${M * (LINE - 1)}`);
    process.exit(1);
  }
  const el = (t1 - t0) / 1000;
  const cpu = process.cpuUsage();
  console.log(`METRIC tcp_lines elapsed=${(el * 1000).toFixed(1)} ms`);
  console.log(`METRIC tcp_lines throughput=${(M * LINE / el / 1e6).toFixed(2)} MB/s`);
  console.log(`METRIC tcp_lines cpu=${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  console.log(`METRIC tcp_lines peak_rss=${peakRssMiB().toFixed(1)} MiB`);
  console.log(`RESULT tcp_lines rate=${(M / el).toFixed(0)} lines/s`);
});
