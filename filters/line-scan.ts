// Search helpers of Filter::Line. Internal; not exported by filters/index.ts.

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

/** Perl applies InputRegexp inside s/^(.*?)$re//s, so a string gets the s flag. */
export function compileRegexp(value: unknown): RegExp {
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, "") + "g");
  return new RegExp(String(value), "gs");
}
