// POE::Filter::Reference: objects frozen by a serializer, framed as
// "<decimal length>\0<frozen bytes>" exactly as POE frames them.

import { Buffer } from "node:buffer";
import { deflateSync, inflateSync } from "node:zlib";
import { deserialize, serialize } from "node:v8";
import { ByteBuffer } from "./byte-buffer.js";
import {
  DEFAULT_MAX_BUFFER,
  DEFAULT_MAX_LENGTH,
  FILTER_ERROR_CODES,
  Filter,
  FilterError,
  describeValue,
  maxBufferError,
  paramMax,
  readParams,
  toBuffer,
  warnUnknownParams,
} from "./filter.js";
import type { Chunk } from "./filter.js";
import { encodeLengthPrefix, peekLengthPrefix } from "./length-prefix.js";

const TYPE = "POE::Filter::Reference";
const KNOWN_PARAMS = ["Serializer", "Compression", "NoFatals", "MaxBuffer", "MaxLength"] as const;

/**
 * A serializer: POE calls `nfreeze` (or else `freeze`) and `thaw`. `thaw`
 * receives the frozen bytes as a Buffer (`JSON.parse` accepts one as is).
 */
export interface ReferenceSerializer {
  freeze?: (data: any) => string | Uint8Array;
  nfreeze?: (data: any) => string | Uint8Array;
  thaw: (frozen: Buffer) => unknown;
}

/** Serializers known by name: `"JSON"` (the default) and `"v8"` (node:v8's structured clone format). */
export const REFERENCE_SERIALIZERS: Readonly<Record<string, ReferenceSerializer>> = {
  JSON: {
    freeze(data: unknown): Buffer {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError(`JSON cannot serialize ${describeValue(data)}`);
      return Buffer.from(text, "utf8");
    },
    thaw: (frozen: Buffer): unknown => JSON.parse(frozen.toString("utf8")),
  },
  v8: {
    freeze: (data: unknown): Buffer => serialize(data),
    thaw: (frozen: Buffer): unknown => deserialize(frozen),
  },
};

/** Constructor parameters of {@link FilterReference}; POE's keys plus `MaxLength`. */
export interface FilterReferenceParams {
  /** A serializer object or class, or a name from {@link REFERENCE_SERIALIZERS}. @default "JSON" (POE: Storable) */
  Serializer?: string | ReferenceSerializer | null;
  /** zlib-compress each frozen object (Perl's Compress::Zlib `compress`). @default false */
  Compression?: unknown;
  /** Return errors as string records instead of throwing them. @default false */
  NoFatals?: unknown;
  /** Largest frame accepted, in bytes. Not in POE. @default min(1048576, MaxBuffer) */
  MaxLength?: number;
  /** Most bytes held unparsed. @default max(8388608, 2 × (MaxLength + 8)) (POE: 512 MiB) */
  MaxBuffer?: number;
}

/**
 * Sends objects over a byte stream: `put` freezes them, `get` thaws them.
 *
 * Ports POE::Filter::Reference, with POE's framing: the decimal length of
 * the frozen bytes, a NUL, the frozen bytes (zlib-compressed with
 * `Compression`). A Perl POE peer whose Serializer writes and reads JSON can
 * talk to it.
 *
 * Differs from POE: the default serializer is JSON (Storable does not exist
 * in JS); an unusable Serializer throws instead of warning and returning
 * undef; a frame that does not start with `digits\0` throws instead of
 * stalling; frames are bounded by `MaxLength`.
 *
 * @example
 * const filter = FilterReference.new({ Serializer: "JSON" });
 * filter.get(filter.put([{ a: 1 }])); // [{ a: 1 }]
 */
export class FilterReference extends Filter {
  static override readonly poeType: string = TYPE;

  #buffer = new ByteBuffer();
  #serializer: ReferenceSerializer;
  #freeze: (data: unknown) => unknown;
  #compression: boolean;
  #noFatals: boolean;
  #maxLength: number;
  #maxBuffer: number;
  #badBuffer: string | undefined;
  #skipping = 0;

  /**
   * Ports POE::Filter::Reference::new, both its forms:
   * `new({ Serializer, Compression, NoFatals, MaxBuffer })` and the legacy
   * positional `new(serializer, compression, noFatals)`.
   * @throws Error naming the Serializer when it lacks freeze/nfreeze or thaw.
   */
  static override new(
    params?: FilterReferenceParams | ReferenceSerializer | string | null,
    compression?: unknown,
    noFatals?: unknown,
  ): FilterReference {
    return new FilterReference(params, compression, noFatals);
  }

  constructor(params?: FilterReferenceParams | ReferenceSerializer | string | null, ...legacy: unknown[]) {
    super();
    const bag = readParams(TYPE, legacyParams(params, legacy));
    this.#serializer = resolveSerializer(bag.Serializer);
    const serializer = this.#serializer;
    const freeze = (serializer.nfreeze ?? serializer.freeze) as (data: unknown) => unknown;
    this.#freeze = (data) => freeze.call(serializer, data);
    const explicitBuffer = paramMax("MaxBuffer", 0, bag);
    this.#maxLength = paramMax("MaxLength", Math.min(DEFAULT_MAX_LENGTH, explicitBuffer || DEFAULT_MAX_LENGTH), bag);
    this.#maxBuffer = explicitBuffer || Math.max(DEFAULT_MAX_BUFFER, 2 * (this.#maxLength + 8));
    if (this.#maxBuffer < this.#maxLength) throw new RangeError("MaxBuffer is not large enough for MaxLength blocks");
    this.#compression = Boolean(bag.Compression);
    this.#noFatals = Boolean(bag.NoFatals);
    warnUnknownParams(TYPE, bag, KNOWN_PARAMS);
  }

  /** Ports POE::Filter::Reference::get_one_start: buffers `chunks`. */
  get_one_start(chunks: readonly Chunk[]): void {
    const size = this.#buffer.appendWithin(chunks.map((chunk) => toBuffer(chunk)), this.#maxBuffer);
    if (size !== undefined) {
      this.#buffer.clear();
      const error = maxBufferError(TYPE, this.#maxBuffer, size);
      if (!this.#noFatals) throw error;
      this.#badBuffer = error.message;
    }
  }

  /** Ports POE::Filter::Reference::get_one: `[thawed object]`, or `[]` while the frame is incomplete. */
  get_one(): unknown[] {
    if (this.#badBuffer !== undefined) {
      const message = this.#badBuffer;
      this.#badBuffer = undefined;
      return [message];
    }
    try {
      const frame = this.#nextFrame();
      return frame === undefined ? [] : [this.#thaw(frame)];
    } catch (error) {
      if (this.#noFatals && error instanceof FilterError) return [error.message];
      throw error;
    }
  }

  /**
   * Ports POE::Filter::Reference::put: one frame per object.
   * @throws Error "Choking on a non-reference (x)" for a value that is not an object.
   */
  put(references: readonly unknown[]): Buffer[] {
    return references.map((reference) => {
      if (reference === null || (typeof reference !== "object" && typeof reference !== "function")) {
        throw new TypeError(`Choking on a non-reference (${String(reference)})`);
      }
      let frozen = toBuffer(this.#freeze(reference));
      if (this.#compression) frozen = deflateSync(frozen);
      return encodeLengthPrefix(frozen);
    });
  }

  /** Ports POE::Filter::Reference::get_pending: `[bytes]` not yet parsed (frame headers included), or `undefined`. */
  get_pending(): Buffer[] | undefined {
    return this.#buffer.length === 0 ? undefined : [Buffer.from(this.#buffer.view())];
  }

  /** Ports POE::Filter::clone: same serializer, compression and bounds; empty buffer. */
  clone(): FilterReference {
    return new FilterReference({
      Serializer: this.#serializer,
      Compression: this.#compression,
      NoFatals: this.#noFatals,
      MaxLength: this.#maxLength,
      MaxBuffer: this.#maxBuffer,
    });
  }

  #nextFrame(): Buffer | undefined {
    if (this.#skipping > 0 && !this.#skip()) return undefined;
    const prefix = peekLengthPrefix(this.#buffer, TYPE, false);
    if (prefix === undefined) return undefined;
    const [length, header] = prefix;
    if (length > this.#maxLength) {
      this.#buffer.skip(header);
      this.#skipping = length;
      this.#skip();
      throw new FilterError(
        `${TYPE}: Expected size of next block exceeds the limit (MaxLength = ${this.#maxLength} bytes): ${length} bytes`,
        FILTER_ERROR_CODES.MAX_LENGTH,
        { bound: "MaxLength", limit: this.#maxLength, size: length },
      );
    }
    if (this.#buffer.length < header + length) return undefined;
    this.#buffer.skip(header);
    return this.#buffer.take(length);
  }

  #thaw(frame: Buffer): unknown {
    try {
      const frozen = this.#compression ? inflateSync(frame) : frame;
      return this.#serializer.thaw.call(this.#serializer, frozen);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new FilterError(`${TYPE}: cannot thaw a frame of ${frame.length} bytes: ${why}`, FILTER_ERROR_CODES.THAW, {
        size: frame.length,
        cause,
      });
    }
  }

  #skip(): boolean {
    const count = Math.min(this.#skipping, this.#buffer.length);
    this.#buffer.skip(count);
    this.#skipping -= count;
    return this.#skipping === 0;
  }
}

// POE's constructor accepts (Serializer, Compression, NoFatals) positionally,
// or one hash reference of named parameters.
function legacyParams(first: unknown, rest: readonly unknown[]): unknown {
  const positional = rest.some((value) => value !== undefined);
  if (!positional && (first === undefined || (isPlainParams(first) && !isSerializer(first)))) return first;
  return { Serializer: first ?? undefined, Compression: rest[0], NoFatals: rest[1] };
}

function isPlainParams(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isSerializer(value: unknown): value is ReferenceSerializer {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.thaw === "function" && (typeof candidate.freeze === "function" || typeof candidate.nfreeze === "function");
}

function resolveSerializer(value: unknown): ReferenceSerializer {
  if (value === undefined || value === null) return REFERENCE_SERIALIZERS.JSON as ReferenceSerializer;
  if (typeof value === "string") {
    const known = Object.keys(REFERENCE_SERIALIZERS).find((name) => name.toLowerCase() === value.toLowerCase());
    if (known !== undefined) return REFERENCE_SERIALIZERS[known] as ReferenceSerializer;
    throw new Error(`Serializer ${JSON.stringify(value)} is not known (known: ${Object.keys(REFERENCE_SERIALIZERS).join(", ")}); pass an object with freeze and thaw`);
  }
  if (!isSerializer(value)) {
    const candidate = value as Record<string, unknown> | null;
    const hasFreeze = candidate !== null && (typeof candidate.freeze === "function" || typeof candidate.nfreeze === "function");
    throw new TypeError(`Serializer ${describeValue(value)} doesn't have a ${hasFreeze ? "thaw" : "freeze or nfreeze"} method`);
  }
  return value;
}
