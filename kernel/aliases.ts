/**
 * The alias table. Ports lib/POE/Resource/Aliases.pm: every alias adds one
 * to its session's reference count (the session's `_aliases` set is read by
 * `Actor._refcount`).
 */
import type { Actor } from "./actor.js";
import { EEXIST, EPERM, ESRCH } from "./constants.js";

export class AliasTable {
  readonly #byName = new Map<string, Actor>();
  // The last name resolved and its session (a caller usually repeats it);
  // forgotten whenever the table changes.
  #lastName: string | undefined;
  #lastActor: Actor | undefined;

  /** Give `actor` the alias `name`: 0, or EEXIST if another session has it. */
  add(actor: Actor, name: string): number {
    this.#lastName = undefined;
    const owner = this.#byName.get(name);
    if (owner !== undefined) return owner === actor ? 0 : EEXIST;
    this.#byName.set(name, actor);
    (actor._aliases ??= new Set()).add(name);
    return 0;
  }

  /** Remove `actor`'s alias `name`: 0, ESRCH (no such alias) or EPERM (another's). */
  remove(actor: Actor, name: string): number {
    this.#lastName = undefined;
    const owner = this.#byName.get(name);
    if (owner === undefined) return ESRCH;
    if (owner !== actor) return EPERM;
    this.#byName.delete(name);
    actor._aliases?.delete(name);
    return 0;
  }

  resolve(name: string): Actor | undefined {
    if (name === this.#lastName) return this.#lastActor;
    const actor = this.#byName.get(name);
    this.#lastName = name;
    this.#lastActor = actor;
    return actor;
  }

  /** The session's aliases, sorted. */
  list(actor: Actor): string[] {
    return actor._aliases ? [...actor._aliases].sort() : [];
  }

  countFor(actor: Actor): number {
    return actor._aliases?.size ?? 0;
  }

  clearSession(actor: Actor): void {
    // A session with no alias cannot be the cached lookup's; leaving the
    // cache alone then also spares V8's code that took it for a constant.
    if (actor._aliases === undefined) return;
    this.#lastName = undefined;
    for (const name of actor._aliases) this.#byName.delete(name);
    actor._aliases = undefined;
  }

  /** Empty the table; returns the aliases that were left (leaks). */
  finalize(): string[] {
    this.#lastName = undefined;
    const leaked = [...this.#byName.keys()];
    this.#byName.clear();
    return leaked;
  }
}
