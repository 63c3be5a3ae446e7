// The median of a list of numbers (the mean of the middle two for an even
// count; NaN for none), shared by bench/run.mjs and the probes in
// bench/probes/, which report medians over alternating rounds.

/** The median of `xs`. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
