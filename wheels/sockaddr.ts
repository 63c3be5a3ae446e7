/**
 * Perl's Socket module, the parts ported POE code uses: address family
 * constants, packed addresses and sockaddrs, and the synchronous lookups
 * POE's SocketFactory makes in its constructor (services, hosts file).
 *
 * Packed forms are Buffers laid out as on Linux: an IPv4 address is 4
 * bytes, an IPv6 address 16; a sockaddr_in is the 16-byte
 * `struct sockaddr_in` (family in host order, port in network order),
 * a sockaddr_in6 the 28-byte `struct sockaddr_in6`, a sockaddr_un the
 * 110-byte `struct sockaddr_un`.
 */
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { isIPv4, isIPv6 } from "node:net";

/** Ports Socket's AF_UNIX (Linux value). */
export const AF_UNIX = 1;
/** Ports Socket's AF_INET (Linux value). */
export const AF_INET = 2;
/** Ports Socket's AF_INET6 (Linux value). */
export const AF_INET6 = 10;
/** Ports Socket's PF_UNIX: the same number as AF_UNIX. */
export const PF_UNIX = AF_UNIX;
/** Ports Socket's PF_INET. */
export const PF_INET = AF_INET;
/** Ports Socket's PF_INET6. */
export const PF_INET6 = AF_INET6;
/** Ports Socket's PF_UNSPEC / AF_UNSPEC. */
export const PF_UNSPEC = 0;
/** Ports Socket's SOCK_STREAM. */
export const SOCK_STREAM = 1;
/** Ports Socket's SOMAXCONN (Linux 5.4 and later). */
export const SOMAXCONN = 4096;
/** Ports Socket's INADDR_ANY: 0.0.0.0 packed. */
export const INADDR_ANY: Buffer = Buffer.alloc(4);
/** Ports Socket's INADDR_LOOPBACK: 127.0.0.1 packed. */
export const INADDR_LOOPBACK: Buffer = Buffer.from([127, 0, 0, 1]);

const SOCKADDR_IN_LENGTH = 16;
const SOCKADDR_IN6_LENGTH = 28;
const SOCKADDR_UN_LENGTH = 110;

/**
 * `[port, packedAddress]` of a packed sockaddr_in.
 *
 * Ports Socket::unpack_sockaddr_in (list context).
 * @throws TypeError "Bad arg length for Socket::unpack_sockaddr_in, ..." as Perl croaks.
 * @example const [port] = unpack_sockaddr_in(heap.listener.getsockname());
 */
export function unpack_sockaddr_in(sockaddr: Uint8Array | undefined | null): [number, Buffer] {
  const buf = asBuffer("unpack_sockaddr_in", sockaddr);
  if (buf.length !== SOCKADDR_IN_LENGTH) {
    throw new TypeError(`Bad arg length for Socket::unpack_sockaddr_in, length is ${buf.length}, should be ${SOCKADDR_IN_LENGTH}`);
  }
  const family = buf.readUInt16LE(0);
  if (family !== AF_INET) {
    throw new TypeError(`Bad address family for Socket::unpack_sockaddr_in, got ${family}, should be ${AF_INET}`);
  }
  return [buf.readUInt16BE(2), Buffer.from(buf.subarray(4, 8))];
}

/**
 * A packed sockaddr_in from a port and a packed 4-byte address.
 *
 * Ports Socket::pack_sockaddr_in.
 * @throws TypeError when the address is not 4 bytes.
 */
export function pack_sockaddr_in(port: number, address: Uint8Array): Buffer {
  const addr = asBuffer("pack_sockaddr_in", address);
  if (addr.length !== 4) throw new TypeError(`Bad arg length for Socket::pack_sockaddr_in, length is ${addr.length}, should be 4`);
  const out = Buffer.alloc(SOCKADDR_IN_LENGTH);
  out.writeUInt16LE(AF_INET, 0);
  out.writeUInt16BE(Number(port) & 0xffff, 2);
  addr.copy(out, 4);
  return out;
}

/**
 * `[port, packedAddress, scopeId, flowinfo]` of a packed sockaddr_in6.
 *
 * Ports Socket::unpack_sockaddr_in6.
 */
export function unpack_sockaddr_in6(sockaddr: Uint8Array | undefined | null): [number, Buffer, number, number] {
  const buf = asBuffer("unpack_sockaddr_in6", sockaddr);
  if (buf.length !== SOCKADDR_IN6_LENGTH) {
    throw new TypeError(`Bad arg length for Socket::unpack_sockaddr_in6, length is ${buf.length}, should be ${SOCKADDR_IN6_LENGTH}`);
  }
  return [buf.readUInt16BE(2), Buffer.from(buf.subarray(8, 24)), buf.readUInt32LE(24), buf.readUInt32BE(4)];
}

/** A packed sockaddr_in6. Ports Socket::pack_sockaddr_in6. */
export function pack_sockaddr_in6(port: number, address: Uint8Array, scopeId = 0, flowinfo = 0): Buffer {
  const addr = asBuffer("pack_sockaddr_in6", address);
  if (addr.length !== 16) throw new TypeError(`Bad arg length for Socket::pack_sockaddr_in6, length is ${addr.length}, should be 16`);
  const out = Buffer.alloc(SOCKADDR_IN6_LENGTH);
  out.writeUInt16LE(AF_INET6, 0);
  out.writeUInt16BE(Number(port) & 0xffff, 2);
  out.writeUInt32BE(flowinfo >>> 0, 4);
  addr.copy(out, 8);
  out.writeUInt32LE(scopeId >>> 0, 24);
  return out;
}

/** A packed sockaddr_un for a path. Ports Socket::pack_sockaddr_un. */
export function pack_sockaddr_un(path: string): Buffer {
  const out = Buffer.alloc(SOCKADDR_UN_LENGTH);
  out.writeUInt16LE(AF_UNIX, 0);
  Buffer.from(path, "utf8").copy(out, 2, 0, SOCKADDR_UN_LENGTH - 2);
  return out;
}

/** The path of a packed sockaddr_un. Ports Socket::unpack_sockaddr_un. */
export function unpack_sockaddr_un(sockaddr: Uint8Array | undefined | null): string {
  const buf = asBuffer("unpack_sockaddr_un", sockaddr);
  if (buf.length < 2 || buf.readUInt16LE(0) !== AF_UNIX) throw new TypeError("Bad address family for Socket::unpack_sockaddr_un");
  const end = buf.indexOf(0, 2);
  return buf.toString("utf8", 2, end < 0 ? buf.length : end);
}

/** The address family of a packed sockaddr. Ports Socket::sockaddr_family. */
export function sockaddr_family(sockaddr: Uint8Array): number {
  return asBuffer("sockaddr_family", sockaddr).readUInt16LE(0);
}

/**
 * A dotted quad, or a name from the hosts file, as a packed 4-byte
 * address; undefined when neither.
 *
 * Ports Socket::inet_aton.
 * Differs from POE: a name is looked up in /etc/hosts only (synchronously);
 * Perl's inet_aton also asks DNS, blocking.
 */
export function inet_aton(host: string): Buffer | undefined {
  if (isIPv4(host)) return Buffer.from(host.split(".").map(Number));
  const found = hostsLookup(host, 4);
  return found === undefined ? undefined : inet_aton(found);
}

/**
 * The dotted quad of a packed 4-byte address.
 *
 * Ports Socket::inet_ntoa.
 * @throws TypeError "Bad arg length for Socket::inet_ntoa, ..." as Perl croaks.
 */
export function inet_ntoa(address: Uint8Array): string {
  const buf = asBuffer("inet_ntoa", address);
  if (buf.length !== 4) throw new TypeError(`Bad arg length for Socket::inet_ntoa, length is ${buf.length}, should be 4`);
  return `${buf[0]}.${buf[1]}.${buf[2]}.${buf[3]}`;
}

/** A textual address as packed bytes for `family`, or undefined. Ports Socket::inet_pton. */
export function inet_pton(family: number, text: string): Buffer | undefined {
  if (family === AF_INET) return isIPv4(text) ? inet_aton(text) : undefined;
  if (family !== AF_INET6 || !isIPv6(text)) return undefined;
  return packIPv6(text);
}

/** A packed address as text. Ports Socket::inet_ntop. */
export function inet_ntop(family: number, address: Uint8Array): string {
  const buf = asBuffer("inet_ntop", address);
  if (family === AF_INET) return inet_ntoa(buf);
  if (buf.length !== 16) throw new TypeError(`Bad address length for Socket::inet_ntop on AF_INET6; got ${buf.length}, should be 16`);
  return formatIPv6(buf);
}

// ---------------------------------------------------------------------------
// Lookups POE makes synchronously (getservbyname, the hosts part of
// gethostbyname). Both files are small and read on each call, so an edit
// takes effect at once, as with the C library.

/**
 * The port number of a service name for a protocol, from /etc/services;
 * undefined when unknown. Ports Perl's getservbyname (scalar context).
 */
export function getservbyname(name: string, protocol: string): number | undefined {
  const text = readText("/etc/services");
  for (const line of text.split("\n")) {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    const [service, portProto, ...aliases] = fields;
    if (service === undefined || portProto === undefined) continue;
    const [port, proto] = portProto.split("/");
    if (proto !== protocol) continue;
    if (service === name || aliases.includes(name)) return Number(port);
  }
  return undefined;
}

/** The first address of `family` (4 or 6) that /etc/hosts gives `name`. */
export function hostsLookup(name: string, family: 4 | 6): string | undefined {
  const wanted = name.toLowerCase();
  for (const line of readText("/etc/hosts").split("\n")) {
    const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (address === undefined || !names.some((n) => n.toLowerCase() === wanted)) continue;
    if (family === 4 ? isIPv4(address) : isIPv6(address)) return address;
  }
  return undefined;
}

/** A packed IPv6 address (16 bytes) of a textual one; IPv4-mapped forms included. */
export function packIPv6(text: string): Buffer {
  const out = Buffer.alloc(16);
  let head = text;
  let tailV4: Buffer | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    tailV4 = inet_aton(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = "", right] = head.split("::");
  const leftGroups = left === "" ? [] : left.split(":");
  const rightGroups = right === undefined || right === "" ? [] : right.split(":");
  const groups = right === undefined ? leftGroups : [...leftGroups, ...Array(8 - leftGroups.length - rightGroups.length).fill("0"), ...rightGroups];
  groups.forEach((group, index) => out.writeUInt16BE(parseInt(group, 16), index * 2));
  if (tailV4 !== undefined) tailV4.copy(out, 12);
  return out;
}

function formatIPv6(buf: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(i));
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestAt, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(":");
  return `${hex.slice(0, bestAt).join(":")}::${hex.slice(bestAt + bestLength).join(":")}`;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
}

function asBuffer(fn: string, value: Uint8Array | undefined | null): Buffer {
  if (value === undefined || value === null) throw new TypeError(`Socket::${fn} requires a packed address, got ${String(value)}`);
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`Socket::${fn} requires a packed address (a Buffer), got ${typeof value}`);
}
