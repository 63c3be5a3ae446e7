/**
 * What POE::Component::Client::TCP and POE::Component::Server::TCP share:
 * their constructor checks with POE's croak and carp texts, the session
 * they create (SessionType, SessionParams), and filter construction.
 *
 * Both components are written against the public API only, as a user
 * would write them (STYLE.md §1).
 */
import { Session } from "../kernel/index.js";
import type { Handler, SessionParams } from "../kernel/index.js";
import { FilterLine, resolveFilter } from "../filters/index.js";
import type { Filter } from "../filters/index.js";

/** A component callback: called with the `_` of the component's own handler. */
export type Callback<Heap = any> = Handler<Heap>;

/** What `SessionType` names: a class with POE::Session's static `create`. */
export interface SessionClass {
  create(params: SessionParams): { ID(): number } | undefined;
}

/** The parameters of a component, as one object. */
export type ParamBag = Record<string, unknown>;

/** Perl's `defined`: neither undefined nor null. */
export function defined<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}

/** True for a plain object (Perl's hash reference). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The parameter bag, or a throw when it is not one object. POE's
 * "requires an even number of parameters" has no odd-count equivalent in
 * one object, so this names what was received instead.
 */
export function readBag(mi: string, params: unknown): ParamBag {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`${mi} requires its parameters as one object, got ${describe(params)}`);
  }
  return params as ParamBag;
}

/** Croak "<name> must be a coderef" for each defined non-function, in POE's order. */
export function checkCallbacks(params: ParamBag, names: readonly string[]): void {
  for (const name of names) {
    if (defined(params[name]) && typeof params[name] !== "function") throw new TypeError(`${name} must be a coderef`);
  }
}

/** Croak unless none or all four of the watermark parameters are defined. */
export function checkMarks(params: ParamBag, names: readonly [string, string, string, string]): boolean {
  const count = given(params, names[0]) + given(params, names[1]) + given(params, names[2]) + given(params, names[3]);
  if (count > 0 && count !== 4) throw new Error("If you use the Mark settings, you must define all four");
  return count === 4;
}

function given(params: ParamBag, name: string): number {
  return defined(params[name]) ? 1 : 0;
}

/** The three `*States` parameters, defaulted and checked with POE's croak texts. */
export interface ExtraStates {
  inline: Record<string, Handler>;
  packages: unknown[];
  objects: unknown[];
}

// What a component without InlineStates, PackageStates or ObjectStates
// keeps: one frozen set for all (createSession hands the session new lists).
const NO_LIST: unknown[] = Object.freeze([]) as unknown as unknown[];
const NO_STATES: ExtraStates = Object.freeze({ inline: Object.freeze({}), packages: NO_LIST, objects: NO_LIST });

/**
 * Read InlineStates (a plain object), PackageStates and ObjectStates
 * (arrays). `objectsName` is the name POE's croak uses: Server::TCP's text
 * spells it "ObjectsStates".
 */
export function readStates(params: ParamBag, objectsName = "ObjectStates"): ExtraStates {
  if (!defined(params.InlineStates) && !defined(params.PackageStates) && !defined(params.ObjectStates)) return NO_STATES;
  const inline = defined(params.InlineStates) ? params.InlineStates : {};
  const packages = defined(params.PackageStates) ? params.PackageStates : [];
  const objects = defined(params.ObjectStates) ? params.ObjectStates : [];
  if (!isPlainObject(inline)) throw new TypeError("InlineStates must be a hash reference");
  if (!Array.isArray(packages)) throw new TypeError("PackageStates must be a list or array reference");
  if (!Array.isArray(objects)) throw new TypeError(`${objectsName} must be a list or array reference`);
  return { inline: inline as Record<string, Handler>, packages, objects };
}

/** An array parameter (Args, ClientArgs, ListenerArgs), `[]` when undefined. */
export function readArray(params: ParamBag, name: string, value: unknown = params[name]): unknown[] {
  if (!defined(value)) return [];
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array reference`);
  return value;
}

/** Carp once for each parameter the component does not know, names sorted. */
export function warnUnknown(mi: string, params: ParamBag, known: ReadonlySet<string>): void {
  // No loop of its own unless a key is unknown: Client.TCP passes here for every client.
  const keys = Object.keys(params);
  if (keys.every(isIn, known)) return;
  for (const key of keys.filter((k) => !known.has(k)).sort()) console.warn(`${mi} doesn't recognize "${key}" as a parameter`);
}

function isIn(this: ReadonlySet<string>, key: string): boolean {
  return this.has(key);
}

/**
 * The session class and the leading `create` parameters, in a new object
 * the caller may add to. SessionParams
 * that is not an array but some other reference croaks; a plain value is
 * ignored, as in POE. Its entries are POE's flat list (`["options",
 * { debug: 1 }]`) or objects (`[{ options: { debug: 1 } }]`).
 */
export function readSession(params: ParamBag): [SessionClass, SessionParams] {
  const type = params.SessionType;
  let cls: SessionClass = Session as unknown as SessionClass;
  if (defined(type) && type !== "POE::Session") {
    if (typeof (type as SessionClass).create !== "function") {
      throw new TypeError(`SessionType must be a class with a static create(), got ${describe(type)}`);
    }
    cls = type as SessionClass;
  }
  const raw = params.SessionParams;
  if (!defined(raw) || (typeof raw !== "object" && typeof raw !== "function")) return [cls, {}];
  if (!Array.isArray(raw)) throw new TypeError("SessionParams must be an array reference");
  return [cls, flattenSessionParams(raw)];
}

function flattenSessionParams(list: readonly unknown[]): SessionParams {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (isPlainObject(item)) Object.assign(out, item);
    else out[String(item)] = list[++i];
  }
  return out as SessionParams;
}

/**
 * Create the component's session: the SessionParams first, then the
 * component's own states (user InlineStates merged last, so they win),
 * `args`, `package_states` and `object_states`, as POE's list does.
 */
export function createSession(
  cls: SessionClass,
  lead: SessionParams,
  own: Record<string, Handler>,
  extra: ExtraStates,
  args: unknown[],
): number {
  // Without InlineStates, `own` itself: sessions made from one states object share its table.
  const inline = Object.keys(extra.inline).length === 0 ? own : Object.assign({}, own, extra.inline);
  // Object.assign, not a spread with added keys: V8 (11.3) builds those in
  // its runtime, several microseconds for every connection's session.
  const params: SessionParams = Object.assign({}, lead);
  params.inline_states = inline;
  params.args = args;
  params.package_states = extra.packages === NO_LIST ? [] : extra.packages;
  params.object_states = extra.objects === NO_LIST ? [] : extra.objects;
  const session = cls.create(params);
  if (session === undefined) throw new Error("the component's session could not be created");
  return session.ID();
}

/**
 * A fresh filter for one connection: undefined gives a new Line filter;
 * names, classes and `[class, params]` are constructed; an instance is
 * cloned. Ports Client::TCP's `_get_filter`.
 */
export function makeFilter(spec: unknown): Filter {
  return defined(spec) ? resolveFilter(spec) : FilterLine.new();
}

/** A short printable description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (typeof value === "object") return `${(value as object).constructor?.name ?? "Object"} object`;
  return `${typeof value} ${String(value)}`;
}

/** Does nothing; the handler POE installs where a callback is optional. */
export function noop(): void {}
