/**
 * Shared checks for kernel and session suites: a fresh virtual clock per
 * test, run() followed by leak checks, and capture of warnings.
 */
import * as assert from "uvu/assert";
import { poeKernel, realClock, VirtualClock } from "../../kernel/index.js";

/** Install a fresh virtual clock at `start` epoch seconds; returns it. */
export function virtualClock(start = 1000): VirtualClock {
  const clock = new VirtualClock(start);
  poeKernel.set_clock(clock);
  return clock;
}

/** Put the real clock back (call after run() resolved). */
export function realTime(): void {
  poeKernel.set_clock(realClock);
}

/** Node timers and immediates alive right now. */
export function pendingTimers(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "Immediate");
}

/** Assert the kernel left nothing behind: no queued event, session, Node timer. */
export function assertNoLeaks(): void {
  assert.is(poeKernel.get_event_count(), 0, "events left in the queue");
  assert.is(poeKernel._sessions.size, 0, "sessions left in the kernel");
  assert.is(poeKernel.get_active_session(), poeKernel, "active session after run()");
  assert.is(poeKernel.get_active_event(), undefined, "active event after run()");
  assert.equal(pendingTimers(), [], "Node timers left by the kernel");
}

/** await run(), then check for leaks. Rethrows what run() rejects with. */
export async function runKernel(): Promise<void> {
  await poeKernel.run();
  assertNoLeaks();
}

/** await run() expecting a rejection; returns the rejection value, after the leak check. */
export async function runKernelRejects(): Promise<unknown> {
  let outcome: { value: unknown } | undefined;
  try {
    await poeKernel.run();
  } catch (error) {
    outcome = { value: error };
  }
  assertNoLeaks();
  if (outcome === undefined) throw new assert.Assertion({ message: "run() resolved; expected a rejection", operator: "rejects" } as any);
  return outcome.value;
}

/** Collect console.warn messages while `fn` runs (sync or async). */
export async function captureWarnings<T>(fn: () => T | Promise<T>): Promise<[T, string[]]> {
  const original = console.warn;
  const warnings: string[] = [];
  console.warn = (...parts: unknown[]) => {
    warnings.push(parts.map(String).join(" "));
  };
  try {
    const value = await fn();
    return [value, warnings];
  } finally {
    console.warn = original;
  }
}

/** Collect what is written to process.stderr while `fn` runs. */
export async function captureStderr<T>(fn: () => T | Promise<T>): Promise<[T, string]> {
  const original = process.stderr.write;
  let text = "";
  (process.stderr as any).write = (chunk: unknown) => {
    text += String(chunk);
    return true;
  };
  try {
    const value = await fn();
    return [value, text];
  } finally {
    (process.stderr as any).write = original;
  }
}
