// Filter lookup for components: POE's `Filter => ...` parameter, which takes a
// class name, a class, an instance, or a class with constructor arguments.

import { Filter, describeValue, filterTypeName } from "./filter.js";
import { FILTER_CLASSES } from "./registry.js";

const PREFIX = "POE::Filter::";

/** A filter class: anything with POE's static `new(params)` factory. */
export interface FilterClass {
  new: (params?: any) => Filter;
  readonly poeType?: string;
}

/**
 * What a component's `Filter` parameter accepts: `"POE::Filter::Line"` or
 * `"Line"`, a filter class, a filter instance, or `[nameOrClass, { params }]`.
 */
export type FilterSpec = string | FilterClass | Filter | readonly [string | FilterClass, ...unknown[]];

/**
 * Turns a component's `Filter` parameter into a fresh filter instance.
 *
 * Ports the filter handling of POE::Component::Client::TCP and Server::TCP
 * (`Filter => "POE::Filter::Line"`, `Filter => [ "POE::Filter::Line", Literal => "|" ]`).
 * An instance is cloned, so every connection gets its own buffer.
 *
 * Differs from POE: the list form takes its parameters as one object,
 * `["POE::Filter::Line", { Literal: "|" }]`; a flat key/value list is accepted too.
 *
 * @param spec a class name, a class, an instance, or `[nameOrClass, params]`.
 * @throws Error naming the value when it is none of those.
 */
export function resolveFilter(spec: unknown): Filter {
  if (spec instanceof Filter) return spec.clone();
  if (isDuckFilter(spec)) return (spec as { clone(): Filter }).clone();
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new Error("Filter list is empty; expected [class or name, { params }]");
    const [head, ...rest] = spec as unknown[];
    return filterClass(head).new(listParams(rest));
  }
  return filterClass(spec).new();
}

/**
 * The filter class a name or class stands for.
 *
 * @param spec `"POE::Filter::Line"`, `"Line"`, or a class with a static `new`.
 * @throws Error naming the value when it is not a known filter class.
 */
export function filterClass(spec: unknown): FilterClass {
  if (typeof spec === "string") {
    const short = spec.startsWith(PREFIX) ? spec.slice(PREFIX.length) : spec;
    const found = Object.prototype.hasOwnProperty.call(FILTER_CLASSES, short)
      ? FILTER_CLASSES[short as keyof typeof FILTER_CLASSES]
      : undefined;
    if (found === undefined) {
      throw new Error(`Filter ${JSON.stringify(spec)} is not a known filter class (known: ${Object.keys(FILTER_CLASSES).join(", ")})`);
    }
    return found as unknown as FilterClass;
  }
  if (typeof spec === "function" && typeof (spec as { new?: unknown }).new === "function") {
    if (spec === Filter) throw new Error(`${filterTypeName(Filter.prototype)} is not meant to be used directly`);
    return spec as unknown as FilterClass;
  }
  throw new Error(`Filter ${describeValue(spec)} is not a filter name, class, instance or [class, params] list`);
}

function listParams(rest: readonly unknown[]): Record<string, unknown> | undefined {
  if (rest.length === 0) return undefined;
  const [first] = rest;
  if (rest.length === 1 && first !== null && typeof first === "object" && !Array.isArray(first)) {
    return first as Record<string, unknown>;
  }
  if (rest.length % 2 === 0 && rest.every((value, index) => index % 2 === 1 || typeof value === "string")) {
    const params: Record<string, unknown> = {};
    for (let index = 0; index < rest.length; index += 2) params[rest[index] as string] = rest[index + 1];
    return params;
  }
  throw new Error(`Filter parameters ${describeValue(first)} are not an object of parameters`);
}

// A filter from elsewhere (another copy of this package, a hand-written one)
// that has the whole interface.
function isDuckFilter(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const methods = ["get_one_start", "get_one", "put", "get_pending", "clone"];
  return methods.every((name) => typeof (value as Record<string, unknown>)[name] === "function");
}
