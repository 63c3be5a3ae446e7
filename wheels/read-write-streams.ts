/**
 * ReadWrite's stream listeners: one set of module-level functions for every
 * wheel, reaching the wheel through the stream (`this`), as ws does with
 * socketOnData. The wheel's entry points are symbol-keyed methods.
 *
 * A stream's wheel is found in a WeakMap, not in a property of the stream:
 * a property of ours gives the socket a shape Node's stream code has not
 * seen, and its inline caches for every socket become polymorphic.
 */
import { Socket } from "node:net";
import type { Readable, Writable } from "node:stream";
import { claim, swallowError } from "./handoff.js";

const WHEELS = new WeakMap<object, StreamWheel>();
/** A chunk arrived. */
export const ON_DATA = Symbol("onData");
/** End of stream. */
export const ON_END = Symbol("onEnd");
/** The stream failed. */
export const ON_ERROR = Symbol("onError");
/** The connection the wheel was made on in its SuccessEvent's handlers is made, and they have returned. */
export const ON_CONNECTED = Symbol("onConnected");

/** What the listeners call on a wheel. */
export interface StreamWheel {
  [ON_DATA](chunk: unknown): void;
  [ON_END](): void;
  [ON_ERROR](error: unknown): void;
  [ON_CONNECTED](): void;
}

// The socket whose connection's SuccessEvent is being dispatched, if any.
let connecting: object | undefined;

/**
 * Run `dispatch`, the delivery of a connection made on `socket` (a
 * SocketFactory's SuccessEvent); then the wheel its handlers made on the
 * socket, if any, writes ahead what they put (ReadWrite's write-ahead).
 */
export function dispatchConnected(socket: object, dispatch: () => void): void {
  const outer = connecting;
  connecting = socket;
  try {
    dispatch();
  } finally {
    connecting = outer;
  }
  WHEELS.get(socket)?.[ON_CONNECTED]();
}

/** True while the SuccessEvent of a connection made on `stream` is being dispatched. */
export function isConnecting(stream: object): boolean {
  return stream === connecting;
}

/** Take `stream` over for `wheel`: claim it from a handoff guard, and listen for errors. */
export function attachStream(stream: Readable | Writable, wheel: StreamWheel): void {
  claim(stream);
  WHEELS.set(stream, wheel);
  if (stream.listenerCount("error", swallowError) === 0) stream.on("error", swallowError);
  stream.on("error", streamOnError);
}

/** Stop listening on `stream` for `wheel` (its 'error' swallower stays). */
export function detachStream(stream: Readable | Writable, wheel: StreamWheel): void {
  stream.removeListener("data", streamOnData);
  stream.removeListener("end", streamOnEnd);
  stream.removeListener("error", streamOnError);
  if (WHEELS.get(stream) === wheel) WHEELS.delete(stream);
}

function wheelOf(stream: object): StreamWheel | undefined {
  return WHEELS.get(stream);
}

/** 'data' listener. */
export function streamOnData(this: Readable, chunk: unknown): void {
  wheelOf(this)?.[ON_DATA](chunk);
}

/** 'end' listener. */
export function streamOnEnd(this: Readable): void {
  wheelOf(this)?.[ON_END]();
}

/** 'error' listener. */
export function streamOnError(this: Readable, error: unknown): void {
  wheelOf(this)?.[ON_ERROR](error);
}

/**
 * The process's own stdio streams, which a wheel never closes. Node makes
 * `process.stdin` (and stdout, stderr) on first read, opening a handle on
 * fd 0 for a pipe, so a stream is compared only with the stdio stream of
 * the fd it carries, as Node's do (sockets carry none).
 */
export function isStdio(stream: unknown): boolean {
  const fd = (stream as { fd?: unknown }).fd;
  if (fd === 0) return stream === process.stdin;
  if (fd === 1) return stream === process.stdout;
  return fd === 2 && stream === process.stderr;
}

/** The errno name a filter error code is reported with. */
export function filterErrno(code: string): string {
  return code === "POE_FILTER_MAX_LENGTH" || code === "POE_FILTER_MAX_BUFFER" ? "EMSGSIZE" : "EBADMSG";
}

/**
 * Take the wheel's streams over (one stream when both are the same). A
 * socket from SocketFactory (or a paused-on-connect server) stays paused
 * until the wheel reads.
 */
export function attachStreams(input: Readable | undefined, output: Writable | undefined, wheel: StreamWheel): void {
  if (input !== undefined) attachStream(input, wheel);
  if (output !== undefined && (output as unknown) !== input) attachStream(output, wheel);
  input?.pause();
}

/** Let go of the wheel's streams, closing sockets (never the process's stdio). */
export function releaseStreams(input: Readable | undefined, output: Writable | undefined, wheel: StreamWheel): void {
  if (input !== undefined) releaseStream(input, wheel);
  if (output !== undefined && (output as unknown) !== input) releaseStream(output, wheel);
}

function releaseStream(stream: Readable | Writable, wheel: StreamWheel): void {
  if (!(stream instanceof Socket) || isStdio(stream)) return detachStream(stream, wheel);
  // A socket the wheel closes keeps its listeners (removing them is most of
  // a connection's teardown in V8's cold code): destroyed, it emits no data
  // or end, and without its entry here they reach no wheel.
  if (WHEELS.get(stream) === wheel) WHEELS.delete(stream);
  stream.destroy();
}

/** Watch `stream` for input, flowing unless the wheel is paused. */
export function startReading(stream: Readable, paused: boolean): void {
  stream.on("data", streamOnData);
  stream.on("end", streamOnEnd);
  if (!paused) stream.resume();
}

/** Stop watching `stream` for input; it is paused so TCP holds the peer back. */
export function stopReading(stream: Readable): void {
  stream.removeListener("data", streamOnData);
  stream.removeListener("end", streamOnEnd);
  stream.pause();
}
