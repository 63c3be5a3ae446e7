/**
 * The arguments of a wheel's `event()`: POE's flat list
 * `event("InputEvent", "got_line", "ErrorEvent", "oops")` (an odd list
 * leaves the last value undefined, as POE pushes undef), or one object
 * `event({ InputEvent: "got_line" })`.
 */
export function eventPairs(args: readonly unknown[]): Array<[string, unknown]> {
  const [first] = args;
  if (args.length === 1 && first !== null && typeof first === "object") return Object.entries(first as object);
  const pairs: Array<[string, unknown]> = [];
  for (let i = 0; i < args.length; i += 2) pairs.push([String(args[i]), args[i + 1]]);
  return pairs;
}
