/**
 * Synchronous bind for listening sockets (PORTING.md "Synchronous bind").
 *
 * POE binds and listens inside SocketFactory's constructor, so a program can
 * listen on port 0 and read the port on the next line. Node's
 * `server.listen({ host, port })` first resolves `host` with `dns.lookup`,
 * even for an IP literal, and binds in the lookup's callback, a tick later.
 * Listening on a Unix path, or without a host, binds at once.
 *
 * net.js calls the lookup as a property of the shared `node:dns` module
 * object (`dns.lookup(address, …)` in `lookupAndListen`). While `listen()`
 * runs, this module puts a lookup there that answers an IP literal by
 * calling back synchronously, so `listenInCluster` → `_listen2` binds and
 * listens before `listen()` returns. The original is restored in `finally`,
 * and any other name is passed through to it.
 *
 * A failed bind (EADDRINUSE, EADDRNOTAVAIL, EACCES) is also detected inside
 * `listen()`, but Node hands the error to `process.nextTick` to be emitted
 * on the next tick. For the same call `process.nextTick` is wrapped to read
 * the error object as it is scheduled (the tick still runs; the wheel's
 * 'error' listener ignores it). That lets SocketFactory queue its
 * FailureEvent from the constructor, where POE yields it.
 *
 * If a later Node version stops calling back synchronously, `listenNow`
 * reports `pending`, and the wheel falls back to Node's 'listening' and
 * 'error' events (the bind is then asynchronous, and getsockname() is
 * undefined until it is done). tests/wheels/sync-listen.test.ts pins the
 * synchronous behaviour on IPv4, IPv6 and Unix paths.
 */
import dns from "node:dns";
import { isIP } from "node:net";
import type { ListenOptions, Server } from "node:net";

/** What `listen()` did before it returned. */
export interface ListenOutcome {
  /** The socket is bound and listening now. */
  bound: boolean;
  /** The bind or listen failed; this is Node's error. */
  error: Error | undefined;
  /** Neither yet: the outcome arrives later as 'listening' or 'error'. */
  pending: boolean;
}

type LookupCallback = (...args: unknown[]) => void;

/**
 * `server.listen(options)`, bound before it returns when `options.host`
 * is an IP literal or `options.path` is given.
 */
export function listenNow(server: Server, options: ListenOptions): ListenOutcome {
  const originalLookup = dns.lookup;
  const originalNextTick = process.nextTick;
  let error: Error | undefined;
  (dns as { lookup: unknown }).lookup = literalLookup(originalLookup);
  process.nextTick = function captureListenError(this: unknown, fn: (...a: any[]) => void, ...args: any[]): void {
    if (args[0] === server && args[1] instanceof Error) error = args[1];
    originalNextTick.call(process, fn, ...args);
  } as typeof process.nextTick;
  try {
    server.listen(options);
  } catch (thrown) {
    error = thrown instanceof Error ? thrown : new Error(String(thrown));
  } finally {
    (dns as { lookup: unknown }).lookup = originalLookup;
    process.nextTick = originalNextTick;
  }
  const bound = error === undefined && server.listening;
  return { bound, error, pending: !bound && error === undefined };
}

// A dns.lookup that answers IP literals at once, in both of the call shapes
// net.js has used: (host, cb) → cb(err, address, family) and
// (host, { all: true }, cb) → cb(err, [{ address, family }]).
function literalLookup(original: typeof dns.lookup): (...args: unknown[]) => unknown {
  return function lookupLiteral(host: unknown, options: unknown, callback?: unknown): unknown {
    const cb = (typeof options === "function" ? options : callback) as LookupCallback | undefined;
    const family = typeof host === "string" ? isIP(host) : 0;
    if (family === 0 || cb === undefined) return (original as (...a: unknown[]) => unknown).call(dns, host, options, callback);
    const all = options !== null && typeof options === "object" && (options as { all?: unknown }).all === true;
    if (all) cb(null, [{ address: host, family }]);
    else cb(null, host, family);
    return undefined;
  };
}
