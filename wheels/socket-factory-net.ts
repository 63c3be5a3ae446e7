/**
 * SocketFactory's node:net helpers: addresses in POE's packed forms, and
 * the host-name lookup POE makes with a blocking resolver.
 */
import { Buffer } from "node:buffer";
import { lookup } from "node:dns";
import type { AddressInfo, Socket } from "node:net";
import { isIPv4 } from "node:net";
import type { Domain, Endpoint } from "./socket-factory-params.js";
import { INADDR_ANY, inet_aton, pack_sockaddr_in, pack_sockaddr_in6, pack_sockaddr_un, packIPv6 } from "./sockaddr.js";

/**
 * A peer's (or the socket's own) address as SuccessEvent gives it:
 * `[packedAddress, port]`; for AF_UNIX `[path, undefined]`, where `path`
 * is `unixPath` (POE: "" for an accepted peer, the server's path for a client).
 */
export function addressOf(domain: Domain, socket: Socket, side: "remote", unixPath: string | undefined): [Buffer | string | undefined, number | undefined] {
  if (domain === "unix") return [unixPath, undefined];
  const address = side === "remote" ? socket.remoteAddress : socket.localAddress;
  const port = side === "remote" ? socket.remotePort : socket.localPort;
  if (address === undefined) return [undefined, undefined];
  return [packAddress(domain, address), port];
}

/**
 * The peer of a socket connected to `remote`, as SuccessEvent gives it: the
 * target itself (an IP literal by now, resolved if it was a name), which is
 * what getpeername() would return, without the system call. Only an
 * unspecified target (0.0.0.0, ::), which reaches a local address, is asked.
 */
export function connectedPeer(domain: Domain, socket: Socket, remote: Endpoint): [Buffer | string | undefined, number | undefined] {
  if (domain === "unix" || remote.host === undefined) return addressOf(domain, socket, "remote", remote.path);
  const packed = packAddress(domain, remote.host);
  if (isUnspecified(packed)) return addressOf(domain, socket, "remote", undefined);
  return [packed, remote.port];
}

function isUnspecified(packed: Buffer): boolean {
  for (let i = 0; i < packed.length; i++) if (packed[i] !== 0) return false;
  return true;
}

// The last address packed: every connection to one server packs the same.
let lastDomain: Domain | undefined;
let lastAddress: string | undefined;
let lastPacked: Buffer = Buffer.alloc(0);

/** A textual address packed for the domain: 4 bytes for AF_INET, 16 for AF_INET6. A new Buffer each time. */
export function packAddress(domain: Domain, address: string): Buffer {
  if (address !== lastAddress || domain !== lastDomain) {
    lastPacked = pack(domain, address);
    lastAddress = address;
    lastDomain = domain;
  }
  return Buffer.from(lastPacked);
}

function pack(domain: Domain, address: string): Buffer {
  if (domain === "inet") {
    const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
    return (isIPv4(v4) ? inet_aton(v4) : undefined) ?? Buffer.from(INADDR_ANY);
  }
  return packIPv6(isIPv4(address) ? `::ffff:${address}` : address);
}

/** A packed sockaddr for what `server.address()` / `socket.address()` returned. */
export function sockaddrOf(domain: Domain, info: AddressInfo | string | null | {}): Buffer | undefined {
  if (info === null) return undefined;
  if (typeof info === "string") return pack_sockaddr_un(info);
  if (domain === "unix") return pack_sockaddr_un("");
  const { address, port } = info as Partial<AddressInfo>;
  if (address === undefined || port === undefined) return undefined;
  if (domain === "inet") return pack_sockaddr_in(port, packAddress("inet", address));
  return pack_sockaddr_in6(port, packAddress("inet6", address));
}

/**
 * Resolve `endpoint.name` to an address of `family` with dns.lookup, setting
 * `endpoint.host`; `done(false)` when it does not resolve.
 */
export function resolveEndpoint(endpoint: Endpoint, family: 4 | 6, done: (ok: boolean) => void): void {
  lookup(endpoint.name as string, { family }, (error, address) => {
    if (error || !address) return done(false);
    endpoint.host = address;
    done(true);
  });
}
