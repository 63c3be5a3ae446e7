/**
 * A wheel's one "watched file handle" reference (POE's fd watcher
 * refcount, `Resource/FileHandles.pm`): while held, the owning session
 * stays alive and the kernel is not idle. Paused watchers still count.
 */
import { poeKernel } from "../kernel/index.js";
import type { Session } from "../kernel/index.js";

/** Holds or releases exactly one handle reference of a session. */
export class HandleHold {
  readonly #session: Session;
  #held = false;

  constructor(session: Session) {
    this.#session = session;
  }

  /** Hold when `want`, release otherwise; nothing changes if it already is so. */
  set(want: boolean): void {
    if (want === this.#held) return;
    this.#held = want;
    if (want) poeKernel._handleHold(this.#session);
    else poeKernel._handleRelease(this.#session);
  }
}
