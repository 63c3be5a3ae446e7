// POE::Filter::Map: transforms each record with a function.

import { Filter, readParams, warnUnknownParams } from "./filter.js";
import { RecordQueue, modifyCode, readCodeParams } from "./code-params.js";
import type { CodeFunctions } from "./code-params.js";

const TYPE = "POE::Filter::Map";
const LIST = Symbol("POE::Filter::Map list");

/** A Map function: receives the record (Perl's `$_` and `$_[0]`), returns its replacement. */
export type MapCode = (record: any) => unknown;

/** Constructor parameters of {@link FilterMap}: `Code`, or both `Get` and `Put`. */
export interface FilterMapParams {
  /** Function for both directions. */
  Code?: MapCode;
  /** Function for `get`. */
  Get?: MapCode;
  /** Function for `put`. */
  Put?: MapCode;
}

/**
 * Transforms records: each one is replaced by what the function returns.
 *
 * Ports POE::Filter::Map. Works on records, not bytes.
 *
 * Differs from POE: a Perl function returns a list, a JS one a single value.
 * Return `FilterMap.list(a, b)` to produce several records (or none, with
 * `FilterMap.list()`); any other value, arrays included, is one record.
 *
 * @example
 * const filter = FilterMap.new({ Code: (x) => x.toUpperCase() });
 * filter.get(["a", "bc"]); // ["A", "BC"]
 */
export class FilterMap extends Filter {
  static override readonly poeType: string = TYPE;

  #buffer = new RecordQueue();
  #code: CodeFunctions<MapCode>;

  /**
   * Ports POE::Filter::Map::new.
   * @param params `Code`, or `Get` and `Put`.
   * @throws Error "POE::Filter::Map requires a Code or both Get and Put parameters"
   */
  static override new(params: FilterMapParams): FilterMap {
    return new FilterMap(params);
  }

  /**
   * Perl's list return: `Get: (x) => FilterMap.list(...x)` is `Get => sub { @$_ }`.
   * Not in POE.
   */
  static list(...records: unknown[]): unknown[] {
    return Object.defineProperty(records, LIST, { value: true });
  }

  constructor(params: FilterMapParams) {
    super();
    const bag = readParams(TYPE, params);
    this.#code = readCodeParams<MapCode>(TYPE, bag);
    warnUnknownParams(TYPE, bag, ["Code", "Get", "Put"]);
  }

  /** Ports POE::Filter::Map::get_one_start: buffers `records`. */
  get_one_start(records: readonly unknown[] | undefined): void {
    if (records === undefined || records === null) return;
    this.#buffer.push(records);
  }

  /** Ports POE::Filter::Map::get_one: what Get returns for the next record, or `[]`. */
  get_one(): unknown[] {
    if (this.#buffer.length === 0) return [];
    return spread(this.#code.get(this.#buffer.shift()));
  }

  /** Ports POE::Filter::Map::put: what Put returns for each record. */
  put(records: readonly unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const record of records) {
      const mapped = this.#code.put(record);
      if (isList(mapped)) result.push(...mapped);
      else result.push(mapped);
    }
    return result;
  }

  /** Ports POE::Filter::Map::get_pending: a copy of the buffered records, or `undefined`. */
  get_pending(): unknown[] | undefined {
    return this.#buffer.pending();
  }

  /**
   * Ports POE::Filter::Map::modify: replaces `Code`, `Get` or `Put` (keys in any case).
   * A value that is not a function warns "Modify X element must be given a coderef".
   */
  modify(params: FilterMapParams): void {
    modifyCode(this.#code, params as Record<string, unknown>);
  }

  /** Ports POE::Filter::clone: same functions, empty buffer. */
  clone(): FilterMap {
    return new FilterMap({ Get: this.#code.get, Put: this.#code.put });
  }
}

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, LIST);
}

function spread(value: unknown): unknown[] {
  return isList(value) ? [...value] : [value];
}
