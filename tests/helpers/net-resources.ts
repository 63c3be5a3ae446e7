/**
 * Checks for wheel and component suites: after a test, no socket, server,
 * pipe, timer or DNS request it made is still active
 * (`process.getActiveResourcesInfo()`), and the kernel is empty.
 */
import * as assert from "uvu/assert";
import { poeKernel } from "../../kernel/index.js";

/** Resource kinds a test can leave behind. */
const WATCHED = new Set(["TCPSocketWrap", "TCPServerWrap", "PipeWrap", "PipeServerWrap", "Timeout", "Immediate", "GetAddrInfoReqWrap", "TCPConnectWrap", "PipeConnectWrap"]);

/** Counts of the watched resource kinds alive now. */
export function netResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.has(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** What is alive beyond `baseline`. */
function extra(baseline: Record<string, number>): Record<string, number> {
  const now = netResources();
  const out: Record<string, number> = {};
  for (const [kind, count] of Object.entries(now)) {
    const more = count - (baseline[kind] ?? 0);
    if (more > 0) out[kind] = more;
  }
  return out;
}

/**
 * Wait (bounded: 200 event-loop turns) for closing handles to finish
 * closing, then assert nothing beyond `baseline` is alive. Closing a socket
 * takes a turn or two of Node's loop; this is not a timing assertion.
 */
export async function assertNoNetLeaks(baseline: Record<string, number>): Promise<void> {
  for (let turn = 0; turn < 200 && Object.keys(extra(baseline)).length > 0; turn++) {
    await new Promise((resolve) => setTimeout(resolve, turn < 20 ? 0 : 5));
  }
  assert.equal(extra(baseline), {}, "sockets, servers or timers left active by the test");
}

/** Run the kernel, then check the kernel's tables and Node's resources. */
export async function runAndCheck(baseline: Record<string, number>): Promise<void> {
  await poeKernel.run();
  assert.is(poeKernel.get_event_count(), 0, "events left in the queue");
  assert.is(poeKernel._sessions.size, 0, "sessions left in the kernel");
  await assertNoNetLeaks(baseline);
}

/** A Unix socket path unique to this process and `name`. */
export function unixPath(name: string): string {
  return `/tmp/poe-ts-${process.pid}-${name}.sock`;
}

/** The own keys of `emitter` that poe-ts put there (its symbols are described "poe-ts.…"). */
export function poeKeys(emitter: object): string[] {
  return Reflect.ownKeys(emitter).map(String).filter((key) => key.includes("poe-ts"));
}
