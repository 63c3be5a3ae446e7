// POE::Filter::Grep: keeps the records a predicate accepts.

import { Filter, readParams, warnUnknownParams } from "./filter.js";
import { RecordQueue, modifyCode, readCodeParams } from "./code-params.js";
import type { CodeFunctions } from "./code-params.js";

const TYPE = "POE::Filter::Grep";

/** A Grep predicate: receives the record (Perl's `$_` and `$_[0]`), keeps it when truthy. */
export type GrepCode = (record: any) => unknown;

/** Constructor parameters of {@link FilterGrep}: `Code`, or both `Get` and `Put`. */
export interface FilterGrepParams {
  /** Predicate for both directions. */
  Code?: GrepCode;
  /** Predicate for `get`. */
  Get?: GrepCode;
  /** Predicate for `put`. */
  Put?: GrepCode;
}

/**
 * Filters records: only those the predicate returns a truthy value for pass.
 *
 * Ports POE::Filter::Grep. Works on records, not bytes: usually stacked
 * after a framing filter in a Stackable.
 *
 * @example
 * const filter = FilterGrep.new({ Code: (x) => /^keep/.test(x) });
 * filter.get(["keep1", "drop"]); // ["keep1"]
 */
export class FilterGrep extends Filter {
  static override readonly poeType: string = TYPE;

  #buffer = new RecordQueue();
  #code: CodeFunctions<GrepCode>;

  /**
   * Ports POE::Filter::Grep::new.
   * @param params `Code`, or `Get` and `Put`.
   * @throws Error "POE::Filter::Grep requires a Code or both Get and Put parameters"
   */
  static override new(params: FilterGrepParams): FilterGrep {
    return new FilterGrep(params);
  }

  constructor(params: FilterGrepParams) {
    super();
    const bag = readParams(TYPE, params);
    this.#code = readCodeParams<GrepCode>(TYPE, bag);
    warnUnknownParams(TYPE, bag, ["Code", "Get", "Put"]);
  }

  /** Ports POE::Filter::Grep::get_one_start: buffers `records`. */
  get_one_start(records: readonly unknown[] | undefined): void {
    if (records === undefined || records === null) return;
    this.#buffer.push(records);
  }

  /** Ports POE::Filter::Grep::get_one: the next accepted record as `[record]`, or `[]`; rejected ones are dropped. */
  get_one(): unknown[] {
    while (this.#buffer.length > 0) {
      const record = this.#buffer.shift();
      if (this.#code.get(record)) return [record];
    }
    return [];
  }

  /** Ports POE::Filter::Grep::put: the records the Put predicate accepts. */
  put(records: readonly unknown[]): unknown[] {
    return records.filter((record) => this.#code.put(record));
  }

  /** Ports POE::Filter::Grep::get_pending: a copy of the buffered records, or `undefined`. */
  get_pending(): unknown[] | undefined {
    return this.#buffer.pending();
  }

  /**
   * Ports POE::Filter::Grep::modify: replaces `Code`, `Get` or `Put` (keys in any case).
   * A value that is not a function warns "Modify X element must be given a coderef".
   */
  modify(params: FilterGrepParams): void {
    modifyCode(this.#code, params as Record<string, unknown>);
  }

  /** Ports POE::Filter::clone: same predicates, empty buffer. */
  clone(): FilterGrep {
    return new FilterGrep({ Get: this.#code.get, Put: this.#code.put });
  }
}
