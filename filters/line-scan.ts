// Search helpers of Filter::Line. Internal; not exported by filters/index.ts.

import type { Buffer } from "node:buffer";
import type { ByteBuffer } from "./byte-buffer.js";

/** Where the next search for a byte may start, and what the last one found. */
export interface ByteSeek {
  // >= 0: relative index found; -1: none before `to`; -2: unknown.
  at: number;
  to: number;
}

/**
 * Buffer.indexOf for one byte, remembering the answer so that neither a
 * line arriving a byte at a time nor a buffer without any CR is rescanned.
 */
export function seekByte(buffer: ByteBuffer, memo: ByteSeek, byte: number): number {
  const length = buffer.length;
  if (memo.at >= 0) return memo.at;
  if (memo.at === -1 && memo.to >= length) return -1;
  const from = memo.at === -1 ? memo.to : 0;
  memo.at = buffer.indexOf(byte, from);
  memo.to = length;
  return memo.at;
}

/** Keeps a memo relative to the first pending byte after `count` bytes were consumed. */
export function shiftSeek(memo: ByteSeek, count: number): void {
  if (memo.at >= 0) {
    memo.at -= count;
    if (memo.at < 0) memo.at = -2;
  }
  memo.to = Math.max(0, memo.to - count);
}

/** The first of two search results, either of which may be -1 (not found). */
export function earliest(a: number, b: number): number {
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/**
 * POE's default newline is CR or LF, with the other one when it follows:
 * true when `next` completes a newline that began with `first`.
 */
export function pairsWith(first: number, next: number | undefined): boolean {
  return next === (first === 0x0d ? 0x0a : 0x0d);
}

/** How far into a chunk the cut helpers look for the end of its first line. */
const CUT_SCAN = 4096;

/**
 * Where the first line of `chunk` ends under POE's default newline: after
 * its first CR or LF, and after the complementary byte when it follows.
 * -1 when none is within the first CUT_SCAN bytes.
 */
export function cutAfterNewline(chunk: Buffer): number {
  const stop = Math.min(chunk.length, CUT_SCAN);
  for (let i = 0; i < stop; i++) {
    const c = chunk[i] as number;
    if (c === 0x0a || c === 0x0d) return pairsWith(c, chunk[i + 1]) ? i + 2 : i + 1;
  }
  return -1;
}

/** Where the first line of `chunk` ends under a one-byte Literal, or -1 (as {@link cutAfterNewline}). */
export function cutAfterByte(chunk: Buffer, byte: number): number {
  const stop = Math.min(chunk.length, CUT_SCAN);
  for (let i = 0; i < stop; i++) if (chunk[i] === byte) return i + 1;
  return -1;
}

/** Perl applies InputRegexp inside s/^(.*?)$re//s, so a string gets the s flag. */
export function compileRegexp(value: unknown): RegExp {
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, "") + "g");
  return new RegExp(String(value), "gs");
}

/**
 * The first match of `regexp` (global) in `text` from `from` that is not
 * empty: [index, end], or undefined. A terminator that matches nothing
 * would make endless empty lines.
 */
export function searchRegexp(regexp: RegExp, text: string, from: number): [number, number] | undefined {
  regexp.lastIndex = from;
  for (;;) {
    const match = regexp.exec(text);
    if (match === null) return undefined;
    if (match[0].length > 0) return [match.index, match.index + match[0].length];
    regexp.lastIndex = match.index + 1;
  }
}
