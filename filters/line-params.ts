// Filter::Line's constructor parameters: POE's checks and croak texts, read
// into the settings one FilterLine parses and writes with. Internal; the
// params type is exported by filters/index.ts.

import { Buffer } from "node:buffer";
import { DEFAULT_MAX_BUFFER, DEFAULT_MAX_LENGTH, FILTER_ERROR_CODES, FilterError, paramMax, readParams, toBuffer, warnUnknownParams } from "./filter.js";
import { compileRegexp } from "./line-scan.js";

export const TYPE = "POE::Filter::Line";
const KNOWN_PARAMS = ["Literal", "InputLiteral", "OutputLiteral", "InputRegexp", "MaxLength", "MaxBuffer", "Encoding"] as const;

/** How input lines end: POE's default newlines, a literal, or a regular expression. */
export type Mode = "newline" | "literal" | "regexp";

/** Constructor parameters of {@link FilterLine}; POE's keys. */
export interface FilterLineParams {
  /** Terminator for both directions. Croaks when empty or combined with another terminator parameter. */
  Literal?: string | Buffer;
  /** Input terminator. Present with the value `undefined` (or `""`): autodetect the newline. */
  InputLiteral?: string | Buffer | undefined;
  /** Output terminator. @default "\r\n" */
  OutputLiteral?: string | Buffer;
  /** Input terminator as a regular expression, matched against the bytes read as latin1 characters. */
  InputRegexp?: string | RegExp;
  /** Longest line accepted, in bytes, terminator excluded. @default 1048576 (POE: 64 MiB) */
  MaxLength?: number;
  /** Most bytes held unparsed. @default max(8388608, 2 × MaxLength) (POE: 512 MiB) */
  MaxBuffer?: number;
  /** How bytes become record strings and strings become bytes. Not in POE. @default "utf8" */
  Encoding?: BufferEncoding;
}

/** What a FilterLine is set up with. */
export interface LineSettings {
  mode: Mode;
  /** The input terminator in "literal" mode (empty otherwise). */
  literal: Buffer;
  regexp: RegExp | undefined;
  /** The output terminator. */
  output: string | Buffer;
  encoding: BufferEncoding;
  /** put() returns strings: the encoding is UTF-8 and the output terminator a string. */
  stringOutput: boolean;
  /** The input newline is to be autodetected from the first one read. */
  autodetect: boolean;
  maxLength: number;
  maxBuffer: number;
}

// The settings of FilterLine.new() without parameters (every connection of a
// component with the default filter makes one), read once.
let defaults: Readonly<LineSettings> | undefined;

/**
 * Ports the parameter checks of POE::Filter::Line::new. The result is not
 * to be modified: without parameters it is one shared object.
 * @throws Error naming the parameter, with POE's croak text.
 */
export function readLineSettings(params: unknown): Readonly<LineSettings> {
  if (params === undefined || params === null) return (defaults ??= Object.freeze(readSettings({})));
  return readSettings(params);
}

function readSettings(params: unknown): LineSettings {
  const bag = readParams(TYPE, params);
  const settings: LineSettings = {
    mode: "newline",
    literal: Buffer.alloc(0),
    regexp: undefined,
    output: "\r\n",
    encoding: "utf8",
    stringOutput: true,
    autodetect: false,
    maxLength: DEFAULT_MAX_LENGTH,
    maxBuffer: DEFAULT_MAX_BUFFER,
  };
  readEncoding(settings, bag);
  readTerminators(settings, bag);
  const explicitBuffer = paramMax("MaxBuffer", 0, bag);
  settings.maxLength = paramMax("MaxLength", DEFAULT_MAX_LENGTH, bag);
  settings.maxBuffer = explicitBuffer || Math.max(DEFAULT_MAX_BUFFER, 2 * settings.maxLength);
  if (settings.maxBuffer < settings.maxLength) throw new RangeError("MaxBuffer is not large enough for MaxLength blocks");
  warnUnknownParams(TYPE, bag, KNOWN_PARAMS);
  return settings;
}

function readEncoding(settings: LineSettings, bag: Record<string, unknown>): void {
  if (bag.Encoding === undefined) return;
  const encoding = bag.Encoding;
  if (typeof encoding !== "string" || !Buffer.isEncoding(encoding)) {
    throw new TypeError(`Encoding must be a Buffer encoding such as "utf8" or "latin1", got ${String(encoding)}`);
  }
  settings.encoding = encoding;
  settings.stringOutput = /^utf-?8$/i.test(encoding);
}

// A port of the terminator checks at the top of Line.pm's new().
function readTerminators(settings: LineSettings, bag: Record<string, unknown>): void {
  const defined = (key: string): boolean => bag[key] !== undefined && bag[key] !== null;
  if (defined("Regexp") && defined("Literal")) throw new Error(`${TYPE} cannot have both Regexp and Literal line endings`);
  if (defined("Literal")) {
    const literal = toBuffer(bag.Literal, settings.encoding);
    if (literal.length === 0) throw new Error("A defined Literal must have a nonzero length");
    if ("InputLiteral" in bag || defined("InputRegexp") || defined("OutputLiteral")) {
      throw new Error(`${TYPE} cannot have Literal with any other parameter`);
    }
    setLiteral(settings, literal);
    setOutput(settings, bag.Literal);
    return;
  }
  if ("InputLiteral" in bag) {
    const literal = defined("InputLiteral") ? toBuffer(bag.InputLiteral, settings.encoding) : Buffer.alloc(0);
    if (literal.length > 0) setLiteral(settings, literal);
    else settings.autodetect = true;
    if (defined("InputRegexp")) throw new Error(`${TYPE} cannot have both InputLiteral and InputRegexp`);
  } else if (defined("InputRegexp")) {
    settings.mode = "regexp";
    settings.regexp = compileRegexp(bag.InputRegexp);
  }
  if (defined("OutputLiteral")) setOutput(settings, bag.OutputLiteral);
}

function setLiteral(settings: LineSettings, literal: Buffer): void {
  settings.mode = "literal";
  settings.literal = Buffer.from(literal);
}

function setOutput(settings: LineSettings, value: unknown): void {
  if (value instanceof Uint8Array) {
    settings.output = Buffer.from(value);
    settings.stringOutput = false;
  } else {
    settings.output = String(value);
  }
}

/** A line of `size` bytes over MaxLength (`note` says how it was found). */
export function lineLengthError(maxLength: number, size: number, note: string): FilterError {
  return new FilterError(
    `${TYPE}: Next line exceeds maximum line length (MaxLength = ${maxLength} bytes): ${size} bytes${note}`,
    FILTER_ERROR_CODES.MAX_LENGTH,
    { bound: "MaxLength", limit: maxLength, size },
  );
}
