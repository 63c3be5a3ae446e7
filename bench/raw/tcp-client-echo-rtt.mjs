// Workload "tcp_echo_rtt" driven through Component::Client::TCP (bench/tcp-client-echo-rtt.bench.ts):
// its raw-Node baseline is the same as tcp_echo_rtt's (net.connect with default socket options,
// one line in flight; ../shared/bench/README.md §7), so this runs bench/raw/tcp-echo-rtt.mjs.
// Output: METRIC lines, then "RESULT tcp_echo_rtt rate=<n> roundtrips/s".
import "./tcp-echo-rtt.mjs";
