// The "<decimal length>\0" prefix shared by Block's default codec and
// Reference's framing. Internal; not exported by filters/index.ts.

import { Buffer } from "node:buffer";
import type { ByteBuffer } from "./byte-buffer.js";
import { FILTER_ERROR_CODES, FilterError } from "./filter.js";

const ZERO = 0x30;
const NINE = 0x39;
// More digits than this cannot be a length any bound allows.
const MAX_DIGITS = 20;

/** `length($$stuff) . "\0" . $$stuff`: the payload with its decimal length prefix. */
export function encodeLengthPrefix(payload: Buffer): Buffer {
  const header = Buffer.from(`${payload.length}\0`, "latin1");
  return Buffer.concat([header, payload], header.length + payload.length);
}

/**
 * Reads a `digits\0` prefix at the front of `buffer` without consuming it:
 * `[length, prefixBytes]`, or `undefined` while the prefix is incomplete.
 *
 * With `stripGarbage` (Block's `_default_decoder`), leading non-digit bytes
 * are removed with POE's warning "N strange bytes removed from stream".
 * Without it (Reference), or when digits are followed by anything but NUL,
 * the buffer cannot be framed any more: a BAD_FRAME error is thrown. POE
 * would wait for ever there.
 */
export function peekLengthPrefix(buffer: ByteBuffer, type: string, stripGarbage: boolean): [number, number] | undefined {
  if (buffer.length === 0) return undefined;
  if (!isDigit(buffer.at(0))) {
    if (!stripGarbage) throw badFrame(buffer, type, "it does not start with a decimal length");
    const garbage = runLength(buffer, false);
    console.warn(`${garbage} strange bytes removed from stream`);
    buffer.skip(garbage);
    if (buffer.length === 0) return undefined;
  }
  const digits = runLength(buffer, true);
  if (digits > MAX_DIGITS) throw badFrame(buffer, type, `its length has more than ${MAX_DIGITS} digits`);
  if (digits === buffer.length) return undefined;
  if (buffer.at(digits) !== 0) {
    throw badFrame(buffer, type, `its length is followed by byte 0x${buffer.at(digits).toString(16).padStart(2, "0")}, not NUL`);
  }
  return [Number(buffer.text("latin1", 0, digits)), digits + 1];
}

// Bytes at the front that are (or are not) ASCII digits; stops early past MAX_DIGITS.
function runLength(buffer: ByteBuffer, digits: boolean): number {
  const length = buffer.length;
  let index = 0;
  while (index < length && isDigit(buffer.at(index)) === digits) {
    index += 1;
    if (digits && index > MAX_DIGITS) break;
  }
  return index;
}

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

// The whole buffer is dropped: nothing after a broken header can be trusted.
function badFrame(buffer: ByteBuffer, type: string, why: string): FilterError {
  const size = buffer.length;
  buffer.clear();
  return new FilterError(`${type}: bad frame header (${size} bytes discarded): ${why}`, FILTER_ERROR_CODES.BAD_FRAME, { size });
}
