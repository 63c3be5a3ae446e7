/** Small helpers shared by kernel/ modules. */

const warned = new Set<string>();

/** `console.warn` a message once per process (POE's carp for bad parameters). */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** A short description of a received value, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${typeof value} ${String(value)}`;
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `${name} object` : "object";
}

/** The TypeError for an event name that is not a string. */
export function badEvent(method: string, event: unknown): TypeError {
  return new TypeError(`POE::Kernel->${method}: event must be a string, got ${describe(event)}`);
}
