// The Code/Get/Put parameters of Grep and Map, and their modify().
// Internal; not exported by filters/index.ts.

import type { FilterParams } from "./filter.js";

/** The two functions of a Grep or Map filter. */
export interface CodeFunctions<F> {
  get: F;
  put: F;
}

/** A port of the checks at the top of Grep.pm's and Map.pm's new(). */
export function readCodeParams<F>(type: string, bag: FilterParams): CodeFunctions<F> {
  const defined = (key: string): boolean => bag[key] !== undefined && bag[key] !== null;
  if (!(defined("Code") || (defined("Get") && defined("Put")))) {
    throw new TypeError(`${type} requires a Code or both Get and Put parameters`);
  }
  if (defined("Code") && typeof bag.Code !== "function") throw new TypeError("Code element is not a subref");
  if ((defined("Get") && typeof bag.Get !== "function") || (defined("Put") && typeof bag.Put !== "function")) {
    throw new TypeError("Get or Put element is not a subref");
  }
  const code = bag.Code as F | undefined;
  return { get: code ?? (bag.Get as F), put: code ?? (bag.Put as F) };
}

/** A port of Grep.pm's and Map.pm's modify(). */
export function modifyCode<F>(code: CodeFunctions<F>, params: FilterParams): void {
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (typeof value !== "function") {
      console.warn(`Modify ${key} element must be given a coderef`);
      continue;
    }
    const name = key.toLowerCase();
    if (name === "code" || name === "get") code.get = value as F;
    if (name === "code" || name === "put") code.put = value as F;
  }
}

/** A FIFO of records with O(1) shift, for Grep's and Map's input buffers. */
export class RecordQueue {
  #items: unknown[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(records: readonly unknown[]): void {
    for (const record of records) this.#items.push(record);
  }

  shift(): unknown {
    const record = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return record;
  }

  /** A copy of the queued records, or `undefined` when empty. */
  pending(): unknown[] | undefined {
    return this.length === 0 ? undefined : this.#items.slice(this.#head);
  }
}
