// The abstract base of every filter, and the helpers all of them share:
// parameter checks with POE's croak texts, the bound errors, chunk decoding.

import { Buffer } from "node:buffer";

/** One raw chunk as it comes from (or goes to) a socket. */
export type Chunk = string | Buffer | Uint8Array;

/** A parameter bag: POE's `key => value` list as one object. */
export type FilterParams = Record<string, unknown>;

/** The error codes a filter's thrown `Error` carries in its `code` property. */
export const FILTER_ERROR_CODES = {
  MAX_LENGTH: "POE_FILTER_MAX_LENGTH",
  MAX_BUFFER: "POE_FILTER_MAX_BUFFER",
  BAD_FRAME: "POE_FILTER_BAD_FRAME",
  THAW: "POE_FILTER_THAW",
} as const;

/** One of {@link FILTER_ERROR_CODES}. */
export type FilterErrorCode = (typeof FILTER_ERROR_CODES)[keyof typeof FILTER_ERROR_CODES];

/** The default `MaxLength` of Line, Block and Reference: 1 MiB. */
export const DEFAULT_MAX_LENGTH = 1024 * 1024;
/** The default `MaxBuffer` of Line, Block and Reference: 8 MiB. */
export const DEFAULT_MAX_BUFFER = 8 * 1024 * 1024;

/**
 * An error thrown by a filter on bad input: a bound exceeded or a malformed frame.
 *
 * Differs from POE: POE dies with a bare string ("Framing buffer exceeds the limit");
 * the port throws an `Error` whose message contains that phrase, plus a `code`
 * (see {@link FILTER_ERROR_CODES}) so a wheel can turn it into an ErrorEvent.
 */
export class FilterError extends Error {
  /** Machine-readable reason, e.g. `"POE_FILTER_MAX_LENGTH"`. */
  readonly code: FilterErrorCode;
  /** The parameter whose bound was exceeded (`"MaxLength"`, `"MaxBuffer"`), if any. */
  readonly bound: string | undefined;
  /** The bound's value in bytes, if any. */
  readonly limit: number | undefined;
  /** The size seen, in bytes, if any. */
  readonly size: number | undefined;

  constructor(message: string, code: FilterErrorCode, detail: { bound?: string; limit?: number; size?: number; cause?: unknown } = {}) {
    super(message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.name = "FilterError";
    this.code = code;
    this.bound = detail.bound;
    this.limit = detail.limit;
    this.size = detail.size;
  }
}

/**
 * The base class of every filter.
 *
 * Ports POE::Filter. `get` is implemented here on top of `get_one_start` and
 * `get_one`, as in `Filter.pm`; subclasses supply the rest.
 */
export abstract class Filter {
  /** The Perl class name, as Stackable's `filter_types` reports it. */
  static readonly poeType: string = "POE::Filter";

  /**
   * Ports POE::Filter::new: the base class cannot be instantiated.
   * @throws Error "POE::Filter is not meant to be used directly"
   */
  static new(..._args: any[]): Filter {
    throw new Error(`${this.poeType} is not meant to be used directly`);
  }

  /** Ports POE::Filter::get_one_start: buffer raw `chunks`, parse nothing. */
  abstract get_one_start(chunks: readonly any[]): void;

  /** Ports POE::Filter::get_one: parse at most one record; `[]` when none is complete. */
  abstract get_one(): any[];

  /** Ports POE::Filter::put: serialize `records` into chunks. */
  abstract put(records: readonly any[]): any[];

  /** Ports POE::Filter::get_pending: a copy of the unparsed input, or `undefined` when there is none. */
  abstract get_pending(): any[] | undefined;

  /** Ports POE::Filter::clone: a filter of the same type and configuration with an empty buffer. */
  abstract clone(): Filter;

  /** Ports POE::Filter::get: `get_one_start(chunks)`, then every record `get_one` can find. */
  get(chunks: readonly any[]): any[] {
    this.get_one_start(chunks);
    const records: any[] = [];
    for (;;) {
      const next = this.get_one();
      if (next.length === 0) return records;
      for (const record of next) records.push(record);
    }
  }
}

// ---------------------------------------------------------------------------
// Helpers shared by the filters; internal (not re-exported by filters/index.ts).

/** The Perl class name of `filter`, falling back to its JS class name. */
export function filterTypeName(filter: object): string {
  const ctor = (filter as { constructor?: { poeType?: unknown; name?: string } }).constructor;
  if (ctor !== undefined && Object.prototype.hasOwnProperty.call(ctor, "poeType") && typeof ctor.poeType === "string") {
    return ctor.poeType;
  }
  return ctor?.name ?? "Object";
}

/** Reads the parameter bag: one object (POE's even-length list), or nothing. */
export function readParams(type: string, params: unknown): FilterParams {
  if (params === undefined || params === null) return {};
  if (typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`${type} requires its parameters as one object, got ${describeValue(params)}`);
  }
  return params as FilterParams;
}

/** `carp("$type ignores unknown parameters: ", join(', ', sort keys %params))`. */
export function warnUnknownParams(type: string, params: FilterParams, known: readonly string[]): void {
  const unknown = Object.keys(params).filter((key) => !known.includes(key)).sort();
  if (unknown.length > 0) console.warn(`${type} ignores unknown parameters: ${unknown.join(", ")}`);
}

/**
 * Ports POE::Filter::__param_max: a positive integer parameter, or `fallback`
 * when absent or `undefined` (Perl's `defined` test).
 */
export function paramMax(name: string, fallback: number, params: FilterParams): number {
  const value = params[name];
  if (value === undefined || value === null) return fallback;
  const text = typeof value === "number" ? (Number.isSafeInteger(value) && value >= 0 ? String(value) : "") : String(value);
  if (!/^\d+$/.test(text)) throw new TypeError(`${name} must be a number`);
  const number = Number(text);
  if (!(number > 0)) throw new RangeError(`${name} must greater then 0`);
  return number;
}

/** A chunk as bytes: strings are encoded with `encoding`, other values stringified as Perl would. */
export function toBuffer(chunk: unknown, encoding: BufferEncoding = "utf8"): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(typeof chunk === "string" ? chunk : String(chunk ?? ""), encoding);
}

/** A short printable description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (value !== null && typeof value === "object") return `object ${value.constructor?.name ?? "Object"}`;
  return String(value);
}

/** The error thrown when a buffer bound is exceeded; the buffer has already been discarded. */
export function maxBufferError(type: string, limit: number, size: number): FilterError {
  return new FilterError(
    `${type}: Framing buffer exceeds the limit (MaxBuffer = ${limit} bytes): ${size} bytes buffered`,
    FILTER_ERROR_CODES.MAX_BUFFER,
    { bound: "MaxBuffer", limit, size },
  );
}
