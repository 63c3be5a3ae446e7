// POE::Filter::RecordBlock: groups records (not bytes) into fixed-size arrays.

import { Filter, readParams, warnUnknownParams } from "./filter.js";

const TYPE = "POE::Filter::RecordBlock";
const KNOWN_PARAMS = ["BlockSize", "CheckPut"] as const;

/** Constructor parameters of {@link FilterRecordBlock}; POE's keys. */
export interface FilterRecordBlockParams {
  /** Records per block; required, greater than 0. */
  BlockSize: number;
  /** When true, `put` only emits whole blocks and keeps the rest (see `put_pending`). @default false */
  CheckPut?: boolean;
}

/**
 * Turns a stream of records into arrays of `BlockSize` records, and back.
 *
 * Ports POE::Filter::RecordBlock. `get_one` returns `[[r1, ..., rN]]` once N
 * records are buffered. `put([[...], [...]])` flattens the arrays; with
 * `CheckPut` it emits only whole groups of `BlockSize` and keeps the rest.
 *
 * Differs from POE: `BlockSize` must be an integer (POE accepts 2.5 and
 * then returns empty blocks for ever).
 *
 * @example
 * const filter = FilterRecordBlock.new({ BlockSize: 2 });
 * filter.get(["a", "b", "c"]); // [["a", "b"]]
 */
export class FilterRecordBlock extends Filter {
  static override readonly poeType: string = TYPE;

  #blockSize: number;
  #checkPut: unknown;
  #getBuffer: unknown[] = [];
  #putBuffer: unknown[] = [];

  /**
   * Ports POE::Filter::RecordBlock::new.
   * @param params `BlockSize` (required), `CheckPut`.
   * @throws Error "BlockSize must be greater than 0"
   */
  static override new(params: FilterRecordBlockParams): FilterRecordBlock {
    return new FilterRecordBlock(params);
  }

  constructor(params: FilterRecordBlockParams) {
    super();
    const bag = readParams(TYPE, params);
    if (!isBlockSize(bag.BlockSize)) throw new RangeError("BlockSize must be greater than 0");
    this.#blockSize = Number(bag.BlockSize);
    this.#checkPut = bag.CheckPut;
    warnUnknownParams(TYPE, bag, KNOWN_PARAMS);
  }

  /** Ports POE::Filter::RecordBlock::get_one_start: buffers `records`. */
  get_one_start(records: readonly unknown[]): void {
    if (records === undefined || records === null) return;
    for (const record of records) this.#getBuffer.push(record);
  }

  /** Ports POE::Filter::RecordBlock::get_one: `[[BlockSize records]]`, or `[]`. */
  get_one(): unknown[][] {
    if (this.#getBuffer.length < this.#blockSize) return [];
    return [this.#getBuffer.splice(0, this.#blockSize)];
  }

  /** Ports POE::Filter::RecordBlock::put: the records of every block, flattened. */
  put(blocks: readonly (readonly unknown[])[]): unknown[] {
    const result: unknown[] = [];
    if (this.#checkPut) {
      for (const block of blocks) this.#putBuffer.push(...block);
      const whole = this.#putBuffer.length - (this.#putBuffer.length % this.#blockSize);
      result.push(...this.#putBuffer.splice(0, whole));
      return result;
    }
    result.push(...this.#putBuffer.splice(0));
    for (const block of blocks) result.push(...block);
    return result;
  }

  /** Ports POE::Filter::RecordBlock::get_pending: a copy of the buffered records, or `undefined`. */
  get_pending(): unknown[] | undefined {
    return this.#getBuffer.length === 0 ? undefined : [...this.#getBuffer];
  }

  /** Ports POE::Filter::RecordBlock::put_pending: records `put` is holding back, or `undefined` (always without CheckPut). */
  put_pending(): unknown[] | undefined {
    if (!this.#checkPut || this.#putBuffer.length === 0) return undefined;
    return [...this.#putBuffer];
  }

  /** Ports POE::Filter::RecordBlock::blocksize: sets the block size when `size` is valid; returns it. */
  blocksize(size?: number): number {
    if (isBlockSize(size)) this.#blockSize = Number(size);
    return this.#blockSize;
  }

  /** Ports POE::Filter::RecordBlock::checkput: sets the CheckPut flag when `value` is defined; returns it. */
  checkput(value?: unknown): unknown {
    if (value !== undefined && value !== null) this.#checkPut = value;
    return this.#checkPut;
  }

  /** Ports POE::Filter::RecordBlock::clone: same BlockSize and CheckPut, empty buffers. */
  clone(): FilterRecordBlock {
    return new FilterRecordBlock({ BlockSize: this.#blockSize, CheckPut: this.#checkPut as boolean });
  }
}

function isBlockSize(value: unknown): boolean {
  if (typeof value !== "number" && typeof value !== "string") return false;
  const size = Number(value);
  return Number.isSafeInteger(size) && size > 0;
}
