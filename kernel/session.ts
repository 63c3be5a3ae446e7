/**
 * POE::Session: a bag of named event handlers, a heap, and the lifetime
 * the kernel gives it. Ports lib/POE/Session.pm.
 */
import { Actor } from "./actor.js";
import { DESTROY, ENOSYS } from "./constants.js";
import { handlerArgs, type HandlerArgs } from "./handler-args.js";
import { poeKernel } from "./kernel.js";
import type { KernelBase as Kernel } from "./kernel-base.js";
import { describe, warnOnce } from "./util.js";
import { NO_ARGS } from "./events.js";
import { wrapHeap } from "./heap.js";

/** A handler: called with POE's `@_` as `_`; its return value is what `call` returns. */
export type Handler<Heap = any> = (_: HandlerArgs<Heap>) => unknown;

/** One entry of a session's state table. */
export interface StateEntry {
  /** An inline handler. */
  fn: Handler | undefined;
  /** The object or package of a method handler (`_[OBJECT]`). */
  obj: any;
  /** The method name, looked up at dispatch time as POE does. */
  method: string;
}

/** Parameters of {@link Session.create}, as POE spells them. */
export interface SessionParams<Heap = any> {
  inline_states?: Record<string, Handler<Heap>>;
  object_states?: unknown[];
  package_states?: unknown[];
  args?: unknown;
  heap?: Heap;
  options?: Record<string, unknown>;
}

/** A postback or callback: a function with an explicit release. */
export interface Postback {
  (...args: unknown[]): unknown;
  /** Stop keeping the target session alive (Perl: the postback's DESTROY). */
  release(): void;
  /** POE's `weaken`: release the session reference, keep the function usable. */
  weaken(): Postback;
  [DESTROY](): void;
}

type SessionConstructor<Heap> = new (
  states: Map<string, StateEntry>,
  own: boolean,
  heap: Heap,
  options: Record<string, unknown> | undefined,
) => Session<Heap>;

const KNOWN_PARAMS = new Set(["inline_states", "object_states", "package_states", "args", "heap", "options"]);
const inlineCache = new WeakMap<object, Map<string, StateEntry>>();

/**
 * A POE session.
 *
 * Ports POE::Session.
 */
export class Session<Heap = any> extends Actor {
  _heap: Heap;
  _states: Map<string, StateEntry>;
  /** False while `_states` is shared with other sessions made from the same inline_states. */
  _ownStates: boolean;
  _options: Record<string, unknown> | undefined;
  /** The last event {@link _plainHandler} looked up, and its answer. */
  _lastState: string | undefined;
  _lastFn: Handler | undefined;

  /** Sessions are made by {@link Session.create} (subclasses inherit it, for SessionType). */
  protected constructor(states: Map<string, StateEntry>, own: boolean, heap: Heap, options: Record<string, unknown> | undefined) {
    super();
    this._states = states;
    this._ownStates = own;
    this._heap = heap;
    this._options = options;
    // Assigned here, not by initializers: a field V8 has seen stored only
    // once is "const", and code optimised on that is thrown away when the
    // field first changes (here, the first cache miss, mid-run).
    this._lastState = undefined;
    this._lastFn = undefined;
  }

  /**
   * Create a session, run its `_start` and tell its parent with `_child`.
   * Returns the session, or `undefined` when it has no `_start` handler.
   *
   * Ports POE::Session->create.
   * @param params `inline_states`, `object_states`, `package_states`, `args`, `heap`, `options`.
   * @example
   * POE.Session.create({ inline_states: { _start: (_) => _[KERNEL].yield("tick") , tick: () => {} } });
   */
  static create<Heap = any>(params: SessionParams<Heap>): Session<Heap> | undefined {
    // In three parts, each small: a program may create a thousand sessions
    // in a burst, and V8 would otherwise compile one large create() with
    // its callees inlined for the last few (see readConfig in
    // components/client-tcp-config.ts).
    checkParams(params);
    const [states, shared] = buildStates(params);
    // `this` is the class create() was called on, so a subclass makes its own instances.
    const Ctor = (typeof this === "function" ? this : Session) as unknown as SessionConstructor<Heap>;
    return startNew(Ctor, params, states, shared);
  }

  /** The session's ID. Ports POE::Session::ID. */
  ID(): number {
    return this._id as number;
  }

  /** The session's heap. Ports POE::Session::get_heap. */
  get_heap(): Heap {
    return this._heap;
  }

  /**
   * Read or set session options (`trace`, `debug`, `default`, or your own).
   * `option(name)` returns the value; `option(name, value)` sets it and
   * returns the previous value; several pairs return an object of previous
   * values. An `undefined` value deletes the option.
   *
   * Ports POE::Session::option.
   */
  option(...pairs: unknown[]): unknown {
    this._lastState = undefined;
    const opts = (this._options ??= {});
    if (pairs.length === 1) return opts[String(pairs[0]).toLowerCase()];
    const previous: Record<string, unknown> = {};
    for (let i = 0; i < pairs.length; i += 2) {
      const name = String(pairs[i]).toLowerCase();
      previous[name] = opts[name];
      const value = normalizeOptionValue(pairs[i + 1]);
      if (value === undefined) delete opts[name];
      else opts[name] = value;
    }
    return pairs.length === 2 ? previous[String(pairs[0]).toLowerCase()] : previous;
  }

  /**
   * A function that posts `event` to this session with `ARG0 = [...context]`
   * and `ARG1 = [...its own arguments]`, and returns 0. It keeps this session
   * alive until released: call `release()` (or delete it from a heap, or let
   * the heap holding it be freed when its session stops).
   *
   * Ports POE::Session::postback.
   * Differs from POE: JavaScript has no DESTROY; the release is explicit.
   */
  postback(event: string, ...context: unknown[]): Postback {
    return makeHook(this, event, context, false);
  }

  /**
   * Like {@link postback} but calls `event` synchronously and returns the
   * handler's value.
   *
   * Ports POE::Session::callback.
   */
  callback(event: string, ...context: unknown[]): Postback {
    return makeHook(this, event, context, true);
  }

  override toString(): string {
    return `POE::Session(${String(this._id)})`;
  }

  /**
   * The inline handler for `state` when it can run without {@link _invoke}'s
   * checks (no trace/default options, no method lookup), else undefined.
   */
  _plainHandler(state: string): Handler | undefined {
    // A wheel or a caller usually sends the same event over and over.
    if (state === this._lastState) return this._lastFn;
    const entry = this._states.get(state);
    const fn = entry !== undefined && this._options === undefined ? entry.fn : undefined;
    this._lastState = state;
    this._lastFn = fn;
    return fn;
  }

  /** Run the handler for `state` (or `_default`) and return its value. */
  _invoke(
    kernel: Kernel,
    sender: unknown,
    state: string,
    source: ArrayLike<unknown>,
    offset: number,
    callerState: string | undefined,
  ): unknown {
    let entry = this._states.get(state);
    const options = this._options;
    if (options !== undefined && options.trace) traceLine(`${this._id} -> ${state} (from ? at ?)`);
    if (entry === undefined) {
      entry = this._states.get("_default");
      if (entry === undefined) return this.#dropped(kernel, sender, state);
      if (options !== undefined && options.trace) traceLine(`${this._id} -> ${state} redirected to _default`);
      source = [state, Array.prototype.slice.call(source, offset)];
      offset = 0;
      state = "_default";
    }
    const a = handlerArgs(entry.obj, this, kernel, this._heap, state, sender, callerState, source, offset);
    if (entry.fn !== undefined) return entry.fn(a);
    const obj = entry.obj;
    const method = obj[entry.method];
    if (typeof method !== "function") {
      throw new TypeError(`${String(obj?.name ?? obj)} has no method '${entry.method}' for event '${state}'`);
    }
    return method.call(obj, a);
  }

  /** Add, replace or (with `undefined`) remove one handler. */
  _setState(name: string, entry: StateEntry | undefined): void {
    this._lastState = undefined;
    if (!this._ownStates) {
      this._states = new Map(this._states);
      this._ownStates = true;
    }
    if (entry === undefined) this._states.delete(name);
    else {
      if (this._options?.debug && this._states.has(name)) {
        console.warn(`redefining handler for event(${name}) for session(${String(this._id)})`);
      }
      this._states.set(name, entry);
    }
  }

  #dropped(kernel: Kernel, sender: unknown, state: string): undefined {
    kernel.errno = ENOSYS;
    if (this._options?.default) {
      const who = kernel._loggable(this);
      console.warn(`=== ${process.pid} === a '${state}' event was sent from ? at ? to ${who} but ${who} has neither a handler for it nor one for _default`);
    }
    void sender;
    return undefined;
  }
}

/** POE's trace output: `=== <pid> === <sid> -> <event> …` on stderr. */
function traceLine(text: string): void {
  process.stderr.write(`=== ${process.pid} === ${text}\n`);
}

/** Croak unless `params` is one object; carp its unknown keys, once. */
function checkParams(params: unknown): asserts params is SessionParams {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`POE::Session->create: parameters must be an object, got ${describe(params)}`);
  }
  let unknown: string[] | undefined;
  for (const k in params) if (!KNOWN_PARAMS.has(k) && Object.hasOwn(params, k)) (unknown ??= []).push(k);
  if (unknown !== undefined) warnOnce(`POE::Session->create: unknown parameter(s): ${unknown.sort().join(", ")}`);
}

/** The rest of create(): args, options and heap, the session, its `_start`. */
function startNew<Heap>(
  Ctor: SessionConstructor<Heap>,
  params: SessionParams<Heap>,
  states: Map<string, StateEntry>,
  shared: boolean,
): Session<Heap> | undefined {
  const args = params.args === undefined ? NO_ARGS : Array.isArray(params.args) ? params.args : [params.args];
  const options = params.options;
  if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) {
    throw new TypeError(`POE::Session->create: options must be an object, got ${describe(options)}`);
  }
  const heap = ("heap" in params ? params.heap : {}) as Heap;
  const session = new Ctor(states, !shared, wrapHeap(heap), options ? normalizeOptions(options) : undefined);
  if (!states.has("_start")) {
    warnOnce(`discarding session ${String(session)} - no '_start' state`);
    return undefined;
  }
  poeKernel._sessionAlloc(session, args);
  return session;
}

/**
 * The state table, and whether it is shared: only a table built from
 * inline_states alone is, cached per inline_states object.
 */
function buildStates(params: SessionParams): [Map<string, StateEntry>, boolean] {
  const inline = params.inline_states;
  if (inline !== undefined && (inline === null || typeof inline !== "object" || Array.isArray(inline))) {
    throw new TypeError(`POE::Session->create: inline_states must be an object of functions, got ${describe(inline)}`);
  }
  const shared = inline !== undefined && onlyInline(params);
  if (shared) {
    const cached = inlineCache.get(inline);
    // A frozen inline_states cannot have changed since its table was built.
    if (cached !== undefined && (Object.isFrozen(inline) || sameInline(cached, inline))) return [cached, true];
  }
  const states = new Map<string, StateEntry>();
  if (inline !== undefined) addInline(states, inline);
  addPairs(states, "package_states", params.package_states);
  addPairs(states, "object_states", params.object_states);
  if (shared) inlineCache.set(inline, states);
  return [states, shared];
}

/** No object_states or package_states: absent, or empty lists (as the TCP components pass). */
function onlyInline(params: SessionParams): boolean {
  const { object_states: objects, package_states: packages } = params;
  return (objects === undefined || (Array.isArray(objects) && objects.length === 0)) &&
    (packages === undefined || (Array.isArray(packages) && packages.length === 0));
}

/** True while a cached state table still matches its inline_states object (keys may be added later). */
function sameInline(cached: Map<string, StateEntry>, inline: Record<string, unknown>): boolean {
  let n = 0;
  for (const name in inline) {
    if (!Object.prototype.hasOwnProperty.call(inline, name)) continue;
    if (cached.get(name)?.fn !== inline[name]) return false;
    n++;
  }
  return n === cached.size;
}

function addInline(states: Map<string, StateEntry>, inline: Record<string, unknown>): void {
  for (const name of Object.keys(inline)) {
    const fn = inline[name];
    if (typeof fn !== "function") {
      throw new TypeError(`POE::Session->create: inline_states.${name} must be a function, got ${describe(fn)}`);
    }
    states.set(name, { fn: fn as Handler, obj: undefined, method: name });
  }
}

function addPairs(states: Map<string, StateEntry>, param: string, list: unknown): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.length % 2 !== 0) {
    throw new TypeError(`POE::Session->create: ${param} must be a list of (${param === "object_states" ? "object" : "package"}, events) pairs, got ${describe(list)}`);
  }
  for (let i = 0; i < list.length; i += 2) {
    const owner = list[i];
    const events = list[i + 1];
    if (owner === null || (typeof owner !== "object" && typeof owner !== "function")) {
      throw new TypeError(`POE::Session->create: ${param}[${i}] must be ${param === "object_states" ? "an object" : "a class or module namespace"}, got ${describe(owner)}`);
    }
    const mapping: [string, string][] = Array.isArray(events)
      ? events.map((e) => [String(e), String(e)])
      : events !== null && typeof events === "object"
        ? Object.entries(events as Record<string, unknown>).map(([e, m]) => [e, String(m)])
        : badEvents(param, i + 1, events);
    for (const [event, method] of mapping) {
      if (typeof (owner as any)[method] !== "function") {
        throw new TypeError(`POE::Session->create: ${param}[${i}] has no method '${method}' for event '${event}'`);
      }
      states.set(event, { fn: undefined, obj: owner, method });
    }
  }
}

function badEvents(param: string, index: number, events: unknown): never {
  throw new TypeError(`POE::Session->create: ${param}[${index}] must be a list of event names or an object of event: method, got ${describe(events)}`);
}

function normalizeOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k.toLowerCase()] = normalizeOptionValue(v);
  return out;
}

function normalizeOptionValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const v = value.toLowerCase();
  if (v === "on" || v === "yes" || v === "true") return 1;
  if (v === "off" || v === "no" || v === "false") return 0;
  return value;
}

function makeHook(session: Session, event: string, context: unknown[], sync: boolean): Postback {
  if (typeof event !== "string") {
    throw new TypeError(`POE::Session->${sync ? "callback" : "postback"}: event must be a string, got ${describe(event)}`);
  }
  const kernel = poeKernel;
  const id = session.ID();
  kernel.refcount_increment(id, "anon_event");
  let held = true;
  const hook = ((...args: unknown[]) => {
    if (sync) return kernel.call(id, event, context.slice(), args);
    kernel.post(id, event, context.slice(), args);
    return 0;
  }) as Postback;
  hook.release = () => {
    if (!held) return;
    held = false;
    kernel.refcount_decrement(id, "anon_event");
  };
  hook[DESTROY] = hook.release;
  hook.weaken = () => {
    hook.release();
    return hook;
  };
  return hook;
}
