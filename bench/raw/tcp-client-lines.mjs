// Workload "tcp_lines" driven through Component::Client::TCP (bench/tcp-client-lines.bench.ts):
// its raw-Node baseline is the same as tcp_lines' (net.connect, latin1, split on "\n" by hand,
// one handler call per line; ../shared/bench/README.md §6), so this runs bench/raw/tcp-lines.mjs.
// Output: METRIC lines, then "RESULT tcp_lines rate=<n> lines/s".
import "./tcp-lines.mjs";
