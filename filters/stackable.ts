// POE::Filter::Stackable: a chain of filters acting as one.

import { Filter, describeValue, filterTypeName, readParams, warnUnknownParams } from "./filter.js";

const TYPE = "POE::Filter::Stackable";

/** Constructor parameters of {@link FilterStackable}; POE's keys. */
export interface FilterStackableParams {
  /** The filters, the first one closest to the wire. @default [] */
  Filters?: Filter[];
}

/**
 * Runs several filters as one: input goes through them first to last, output last to first.
 *
 * Ports POE::Filter::Stackable, including its quirks: `get_pending` returns
 * `[]` rather than `undefined` when nothing is pending, and `shift`/`pop`
 * hand the removed filter's pending input to its neighbour's `put`, not
 * `get_one_start` (POE `Stackable.pm`), so that input is not parsed again.
 *
 * Differs from POE: `get_one_start` on an empty stack throws an Error
 * instead of calling a method on undef; `shift`/`pop` on an empty stack
 * return `undefined`.
 *
 * @example
 * const stack = FilterStackable.new({ Filters: [FilterLine.new(), FilterGrep.new({ Code: (x) => x !== "" })] });
 * stack.get(["a\r\n\r\nb\r\n"]); // ["a", "b"]
 */
export class FilterStackable extends Filter {
  static override readonly poeType: string = TYPE;

  #filters: Filter[];

  /**
   * Ports POE::Filter::Stackable::new.
   * @param params `Filters`.
   * @throws Error "Filters is not an ARRAY reference!"
   */
  static override new(params?: FilterStackableParams): FilterStackable {
    return new FilterStackable(params);
  }

  constructor(params?: FilterStackableParams) {
    super();
    const bag = readParams(TYPE, params);
    const filters = bag.Filters ?? [];
    if (!Array.isArray(filters)) throw new TypeError("Filters is not an ARRAY reference!");
    this.#filters = filters as Filter[];
    warnUnknownParams(TYPE, bag, ["Filters"]);
  }

  /** Ports POE::Filter::Stackable::get_one_start: feeds `chunks` to the first filter. */
  get_one_start(chunks: readonly unknown[]): void {
    const first = this.#filters[0];
    if (first === undefined) throw new Error(`${TYPE} has no Filters to give input to`);
    first.get_one_start(chunks);
  }

  /**
   * Ports POE::Filter::Stackable::get_one: strobes the chain, each filter's
   * `get_one` feeding the next, until a record leaves the last filter or no
   * filter passed anything on ("a later filter in the chain may produce
   * multiple things from one piece of input").
   */
  get_one(): unknown[] {
    let records: unknown[] = [];
    while (records.length === 0) {
      let exchanged = false;
      for (const filter of this.#filters) {
        if (records.length > 0) {
          filter.get_one_start(records);
          exchanged = true;
        }
        records = filter.get_one();
      }
      if (!exchanged) break;
    }
    return records;
  }

  /** Ports POE::Filter::Stackable::put: runs the filters last to first, stopping when one returns nothing. */
  put(records: readonly unknown[]): unknown[] {
    let data: readonly unknown[] = records;
    for (let index = this.#filters.length - 1; index >= 0; index -= 1) {
      data = (this.#filters[index] as Filter).put(data);
      if (data.length === 0) break;
    }
    return [...data];
  }

  /**
   * Ports POE::Filter::Stackable::get_pending: the last filter's pending
   * input, or `[]`. As POE does, each filter's pending data is passed to the
   * next filter's `put` on the way (the result is discarded).
   */
  get_pending(): unknown[] {
    let data: unknown[] | undefined;
    for (const filter of this.#filters) {
      if (data !== undefined && data.length > 0) filter.put(data);
      data = filter.get_pending();
    }
    return data ?? [];
  }

  /** Ports POE::Filter::Stackable::filter_types: the Perl class name of each filter, wire side first. */
  filter_types(): string[] {
    return this.#filters.map((filter) => filterTypeName(filter));
  }

  /** Ports POE::Filter::Stackable::filters: the filters, wire side first (a copy of the list). */
  filters(): Filter[] {
    return [...this.#filters];
  }

  /** Ports POE::Filter::Stackable::shift: removes the first filter; its pending input goes to the new first's `put`. */
  shift(): Filter | undefined {
    const filter = this.#filters.shift();
    const pending = filter?.get_pending();
    const next = this.#filters[0];
    if (pending !== undefined && next !== undefined) next.put(pending);
    return filter;
  }

  /**
   * Ports POE::Filter::Stackable::unshift: adds filters at the wire side.
   * @throws Error "Filter element is not a POE::Filter instance!"
   */
  unshift(...filters: Filter[]): number {
    checkFilters(filters);
    return this.#filters.unshift(...filters);
  }

  /**
   * Ports POE::Filter::Stackable::push: adds filters at the record side.
   * @throws Error "Filter element is not a POE::Filter instance!"
   */
  push(...filters: Filter[]): number {
    checkFilters(filters);
    return this.#filters.push(...filters);
  }

  /** Ports POE::Filter::Stackable::pop: removes the last filter; its pending input goes to the new last's `put`. */
  pop(): Filter | undefined {
    const filter = this.#filters.pop();
    const pending = filter?.get_pending();
    const next = this.#filters[this.#filters.length - 1];
    if (pending !== undefined && next !== undefined) next.put(pending);
    return filter;
  }

  /** Ports POE::Filter::Stackable::clone: a stack of clones of every filter. */
  clone(): FilterStackable {
    return new FilterStackable({ Filters: this.#filters.map((filter) => filter.clone()) });
  }
}

function checkFilters(filters: readonly unknown[]): void {
  for (const filter of filters) {
    if (!(filter instanceof Filter)) {
      throw new TypeError(`Filter element is not a POE::Filter instance! (got ${describeValue(filter)})`);
    }
  }
}
