/**
 * POE::Wheel::ReadWrite's constructor checks, with POE's carp and croak
 * texts (`Wheel/ReadWrite.pm` new()).
 */
import type { Duplex, Readable, Writable } from "node:stream";
import { Filter, FilterLine, resolveFilter } from "../filters/index.js";
import type { FilterSpec } from "../filters/index.js";
import { defined, warnUnknown } from "./wheel.js";

/** Constructor parameters of WheelReadWrite; POE's keys. */
export interface WheelReadWriteParams {
  /** The stream read and written (a connected `net.Socket`). Takes precedence over InputHandle/OutputHandle. */
  Handle?: Duplex;
  /** The stream read, when reading and writing use two. */
  InputHandle?: Readable;
  /** The stream written, when reading and writing use two. */
  OutputHandle?: Writable;
  /** One filter for both directions. @default one new POE.Filter.Line */
  Filter?: Filter | FilterSpec;
  /** The input filter. @default a new POE.Filter.Line (shared with OutputFilter when both are missing) */
  InputFilter?: Filter | FilterSpec;
  /** The output filter. @default a new POE.Filter.Line */
  OutputFilter?: Filter | FilterSpec;
  /** Event for each record read: `(record, wheelId)`. Without it the wheel does not read. */
  InputEvent?: string;
  /** Event for a failure or end of stream: `(operation, errnum, errstr, wheelId)`. */
  ErrorEvent?: string;
  /** Event when everything put has been written: `(wheelId)`. */
  FlushedEvent?: string;
  /** Octets buffered at which put() reports high water. Requires LowMark. */
  HighMark?: number;
  /** Octets buffered at or below which LowEvent fires after high water. Requires HighMark and LowEvent. */
  LowMark?: number;
  /** Event when put() takes the buffer to HighMark or above: `(wheelId)`. */
  HighEvent?: string;
  /** Event when the buffer drains to LowMark after high water: `(wheelId)`. */
  LowEvent?: string;
  /** Write at once when put() finds the buffer empty, instead of later. @default false */
  AutoFlush?: boolean;
}

const KNOWN = [
  "Handle", "InputHandle", "OutputHandle", "Filter", "InputFilter", "OutputFilter", "InputEvent",
  "ErrorEvent", "FlushedEvent", "HighMark", "LowMark", "HighEvent", "LowEvent", "AutoFlush",
] as const;

/** The checked parameters. */
export interface ReadWriteConfig {
  input: Readable;
  output: Writable;
  inputFilter: Filter;
  outputFilter: Filter;
}

/** Handles and filters, croaking or carping as POE's new() does. */
export function readConfig(type: string, params: WheelReadWriteParams): ReadWriteConfig {
  checkMarks(params);
  const [input, output] = handles(params);
  const [inputFilter, outputFilter] = filters(params);
  warnUnknown(`unknown parameters in ${type} constructor call: `, params, KNOWN);
  return { input, output, inputFilter, outputFilter };
}

/** The five event names, as given. */
export function eventsOf(params: WheelReadWriteParams): WheelEvents {
  return { InputEvent: params.InputEvent, ErrorEvent: params.ErrorEvent, FlushedEvent: params.FlushedEvent, HighEvent: params.HighEvent, LowEvent: params.LowEvent };
}

function handles(params: WheelReadWriteParams): [Readable, Writable] {
  if (defined(params.Handle)) {
    if (defined(params.InputHandle)) console.warn("Ignoring InputHandle parameter (Handle parameter takes precedence)");
    if (defined(params.OutputHandle)) console.warn("Ignoring OutputHandle parameter (Handle parameter takes precedence)");
    checkStream("Handle", params.Handle, true, true);
    return [params.Handle, params.Handle];
  }
  if (!defined(params.InputHandle)) throw new Error("Handle or InputHandle required");
  if (!defined(params.OutputHandle)) throw new Error("Handle or OutputHandle required");
  checkStream("InputHandle", params.InputHandle, true, false);
  checkStream("OutputHandle", params.OutputHandle, false, true);
  return [params.InputHandle, params.OutputHandle];
}

function checkStream(name: string, value: unknown, readable: boolean, writable: boolean): void {
  const stream = value as { on?: unknown; pause?: unknown; write?: unknown };
  const ok = typeof stream === "object" && typeof stream.on === "function" &&
    (!readable || typeof stream.pause === "function") && (!writable || typeof stream.write === "function");
  if (!ok) throw new TypeError(`${name} must be a stream (a connected net.Socket), got ${typeof value}`);
}

function filters(params: WheelReadWriteParams): [Filter, Filter] {
  if (defined(params.Filter)) {
    if (defined(params.InputFilter)) console.warn("Ignoring InputFilter parameter (Filter parameter takes precedence)");
    if (defined(params.OutputFilter)) console.warn("Ignoring OutputFilter parameter (Filter parameter takes precedence)");
    const both = asFilter(params.Filter);
    return [both, both];
  }
  let input = defined(params.InputFilter) ? asFilter(params.InputFilter) : undefined;
  let output = defined(params.OutputFilter) ? asFilter(params.OutputFilter) : undefined;
  if (input === undefined || output === undefined) {
    const line = FilterLine.new();
    input ??= line;
    output ??= line;
  }
  return [input, output];
}

/** A filter instance is used as given (not cloned), as POE does; a name, class or list is resolved. */
export function asFilter(spec: unknown): Filter {
  if (spec instanceof Filter) return spec;
  const duck = spec as { put?: unknown; get_pending?: unknown } | null;
  if (duck !== null && typeof duck === "object" && !Array.isArray(duck) && typeof duck.put === "function") return duck as unknown as Filter;
  return resolveFilter(spec);
}

// Ports the "Water mark errors" block of ReadWrite.pm new(): every problem
// is carped, then one croak.
function checkMarks(params: WheelReadWriteParams): void {
  const warnings: string[] = [];
  const high = params.HighMark;
  const low = params.LowMark;
  if (defined(high) !== defined(low)) warnings.push("HighMark and LowMark parameters require each-other");
  else if (defined(high) && !(Number(high) > 0 && Number(low) > 0)) warnings.push("HighMark and LowMark parameters must be above 0");
  if (defined(params.HighEvent) && !defined(high)) warnings.push("HighEvent requires a corresponding HighMark");
  if (defined(low) !== defined(params.LowEvent)) warnings.push("LowMark and LowEvent parameters require each-other");
  if (warnings.length === 0) return;
  for (const warning of warnings) console.warn(warning);
  throw new Error(`Water mark errors: ${warnings.join("; ")}`);
}

/** Why set_high_mark(`mark`) is ignored, in POE's carp text, or undefined. */
export function highMarkProblem(high: number | undefined, low: number | undefined, mark: unknown): string | undefined {
  if (!defined(high)) return "Ignoring high mark (must be initialized in constructor first)";
  if (!defined(mark)) return "New high mark is undefined.  Ignored";
  if (!(Number(mark) > (low ?? 0))) return "New high mark would not be greater than low mark.  Ignored";
  return undefined;
}

/** Why set_low_mark(`mark`) is ignored, in POE's carp text, or undefined. */
export function lowMarkProblem(high: number | undefined, low: number | undefined, mark: unknown): string | undefined {
  if (!defined(low)) return "Ignoring low mark (must be initialized in constructor first)";
  if (!defined(mark)) return "New low mark is undefined.  Ignored";
  if (!(Number(mark) > 0)) return "New low mark would be less than one.  Ignored";
  if (!(Number(mark) < (high ?? 0))) return "New low mark would not be less than high high mark.  Ignored";
  return undefined;
}

/** ReadWrite's event names, renamed by event(). */
export interface WheelEvents {
  InputEvent: string | undefined;
  ErrorEvent: string | undefined;
  FlushedEvent: string | undefined;
  HighEvent: string | undefined;
  LowEvent: string | undefined;
}

/** One `event()` pair, with POE's carps for what it ignores. */
export function renameEvent(events: WheelEvents, marks: { hasHigh: boolean; hasLow: boolean }, name: string, value: unknown): void {
  const event = defined(value) ? String(value) : undefined;
  if (name === "InputEvent" || name === "ErrorEvent" || name === "FlushedEvent") events[name] = event;
  else if (name === "HighEvent") {
    if (marks.hasHigh) events.HighEvent = event;
    else console.warn("Ignoring HighEvent (there is no high watermark set)");
  } else if (name === "LowEvent") {
    if (marks.hasLow) events.LowEvent = event;
    else console.warn("Ignoring LowEvent (there is no high watermark set)");
  } else console.warn(`ignoring unknown ReadWrite parameter '${name}'`);
}
