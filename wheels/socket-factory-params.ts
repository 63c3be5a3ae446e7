/**
 * POE::Wheel::SocketFactory's constructor, up to the socket calls: the
 * domain, protocol, bind and remote addresses and ports, each failure as
 * the tuple POE yields (`Wheel/SocketFactory.pm` new()).
 */
import { Buffer } from "node:buffer";
import { isIPv4, isIPv6 } from "node:net";
import { tupleFor, type ErrorTuple } from "./errors.js";
import { AF_INET, AF_INET6, AF_UNIX, SOMAXCONN, getservbyname, hostsLookup, inet_ntoa, inet_ntop } from "./sockaddr.js";
import { defined, warnUnknown } from "./wheel.js";

/** Constructor parameters of WheelSocketFactory; POE's keys. */
export interface WheelSocketFactoryParams {
  /** Event for a connection: `(socket, peerAddress, peerPort, wheelId)`. Required. */
  SuccessEvent: string;
  /** Event for a failure: `(syscall, errno, errstr, wheelId)`. Required. */
  FailureEvent: string;
  /** AF_INET (default), AF_INET6 or AF_UNIX (or the PF_ spellings). */
  SocketDomain?: number;
  /** `"tcp"` (default) or 6. Ignored, with a warning, for AF_UNIX. */
  SocketProtocol?: string | number;
  /** SOCK_STREAM, the only type node:net has. */
  SocketType?: number;
  /** Local address: a dotted quad, IPv6 literal, host name, packed Buffer, or a Unix path. */
  BindAddress?: string | Uint8Array;
  /** Local port: a number or a service name ("echo"). 0 lets the OS choose. */
  BindPort?: number | string;
  /** Remote address (client mode): a dotted quad, IPv6 literal, host name, packed Buffer, or a Unix path. */
  RemoteAddress?: string | Uint8Array;
  /** Remote port: a number or a service name. Required with RemoteAddress for AF_INET/AF_INET6. */
  RemotePort?: number | string;
  /** Listen backlog. @default SOMAXCONN */
  ListenQueue?: number;
  /** "yes", "on" or a true number: SO_REUSEADDR (always on for Node's TCP listeners). */
  Reuse?: string | number | boolean;
}

const KNOWN = [
  "SuccessEvent", "FailureEvent", "SocketDomain", "SocketProtocol", "SocketType", "BindAddress",
  "BindPort", "RemoteAddress", "RemotePort", "ListenQueue", "Reuse",
] as const;

/** POE's abstract domains. */
export type Domain = "inet" | "inet6" | "unix";

/** An endpoint: an IP literal and port, a name still to resolve, or a Unix path. */
export interface Endpoint {
  host?: string;
  name?: string;
  port?: number;
  path?: string;
}

/** What the constructor is to do, or the failure POE would yield. */
export interface Plan {
  domain: Domain;
  bind: Endpoint | undefined;
  remote: Endpoint | undefined;
  backlog: number;
}

const DOMAINS: Record<number, Domain> = { [AF_UNIX]: "unix", [AF_INET]: "inet", [AF_INET6]: "inet6" };
const PROTOCOL_NUMBERS: Record<string, number> = { tcp: 6, udp: 17 };

/** Check parameters: croak on what POE croaks on, return a plan or the failure to yield. */
export function planSocket(type: string, params: WheelSocketFactoryParams): Plan | ErrorTuple {
  if (!defined(params.SuccessEvent)) throw new Error("SuccessEvent required");
  if (!defined(params.FailureEvent)) throw new Error("FailureEvent required");
  warnUnknown(`${type} ignores unknown parameters: `, params, KNOWN);
  const family = defined(params.SocketDomain) ? params.SocketDomain : AF_INET;
  const domain = DOMAINS[Number(family)];
  if (domain === undefined) return ["domain", 0, `SocketDomain ${String(family)} is currently unsupported on this platform`];
  const protocol = checkProtocol(domain, params);
  if (Array.isArray(protocol)) return protocol;
  const bind = bindEndpoint(domain, params);
  if (Array.isArray(bind)) return bind;
  const remote = remoteEndpoint(domain, params);
  if (Array.isArray(remote)) return remote;
  return { domain, bind, remote, backlog: Number(params.ListenQueue) || SOMAXCONN };
}

function checkProtocol(domain: Domain, params: WheelSocketFactoryParams): ErrorTuple | undefined {
  if (params.SocketType !== undefined && Number(params.SocketType) !== 1) {
    throw new Error(`SocketFactory supports only SOCK_STREAM sockets on Node (SocketType ${String(params.SocketType)})`);
  }
  if (domain === "unix") {
    if (defined(params.SocketProtocol)) console.warn("SocketProtocol ignored for Unix socket");
    return undefined;
  }
  if (!defined(params.SocketProtocol)) return undefined; // "tcp", the default
  let protocol = params.SocketProtocol;
  if (!/^\d+$/.test(String(protocol))) {
    const number = PROTOCOL_NUMBERS[String(protocol).toLowerCase()];
    if (number === undefined) return ["getprotobyname", 0, ""];
    protocol = number;
  }
  const name = Object.keys(PROTOCOL_NUMBERS).find((key) => PROTOCOL_NUMBERS[key] === Number(protocol));
  if (name === undefined) return ["getprotobynumber", 0, ""];
  if (name !== "tcp") throw new Error(`SocketFactory does not support Internet ${name} sockets (node:net is stream-only)`);
  return undefined;
}

function bindEndpoint(domain: Domain, params: WheelSocketFactoryParams): Endpoint | ErrorTuple | undefined {
  if (domain === "unix") {
    if (defined(params.BindPort)) console.warn("BindPort ignored for Unix socket");
    if (!defined(params.BindAddress)) return undefined;
    if (defined(params.RemotePort)) return tupleFor("bind", "EADDRINUSE");
    return { path: String(params.BindAddress) };
  }
  if (!defined(params.BindAddress) && !defined(params.BindPort) && defined(params.RemoteAddress)) return undefined;
  const port = servicePort(params.BindPort ?? 0);
  if (port === undefined) return tupleFor("getservbyname", "EADDRNOTAVAIL");
  const address = params.BindAddress ?? (domain === "inet" ? "0.0.0.0" : "::");
  const host = literalHost(domain, address);
  if (host === undefined) return tupleFor(domain === "inet" ? "inet_aton" : "getaddrinfo", "EADDRNOTAVAIL");
  return withPort(host, port);
}

function remoteEndpoint(domain: Domain, params: WheelSocketFactoryParams): Endpoint | ErrorTuple | undefined {
  if (!defined(params.RemoteAddress)) {
    if (defined(params.RemotePort)) console.warn("RemotePort ignored without RemoteAddress");
    return undefined;
  }
  if (domain === "unix") return { path: String(params.RemoteAddress) };
  if (!defined(params.RemotePort)) throw new Error("RemotePort required");
  if (defined(params.ListenQueue)) console.warn("ListenQueue ignored");
  const port = servicePort(params.RemotePort);
  if (port === undefined) return tupleFor("getservbyname", "EADDRNOTAVAIL");
  const host = literalHost(domain, params.RemoteAddress);
  if (host === undefined) return tupleFor(domain === "inet" ? "inet_aton" : "getaddrinfo", "EADDRNOTAVAIL");
  return withPort(host, port);
}

// literalHost()'s fresh object with its port: no object spread, which V8
// (11.3) runs through its runtime, several microseconds a connection.
function withPort(host: Endpoint, port: number): Endpoint {
  host.port = port;
  return host;
}

// A port number, or a service name from /etc/services (POE: getservbyname).
function servicePort(port: number | string): number | undefined {
  if (/^\d+$/.test(String(port))) return Number(port);
  return getservbyname(String(port), "tcp");
}

// An address as an IP literal of the domain's family now, or a name to
// resolve later; undefined when it cannot be an address of this family.
function literalHost(domain: Domain, address: string | Uint8Array): { host?: string; name?: string } | undefined {
  if (address instanceof Uint8Array) {
    const buf = Buffer.from(address.buffer, address.byteOffset, address.byteLength);
    if (domain === "inet") return buf.length === 4 ? { host: inet_ntoa(buf) } : undefined;
    return buf.length === 16 ? { host: inet_ntop(AF_INET6, buf) } : undefined;
  }
  const text = String(address);
  if (domain === "inet") {
    if (isIPv4(text)) return { host: text };
    if (isIPv6(text) || text === "") return undefined;
    const found = hostsLookup(text, 4);
    return found === undefined ? { name: text } : { host: found };
  }
  if (isIPv6(text)) return { host: text };
  if (isIPv4(text) || text === "") return undefined;
  const found = hostsLookup(text, 6);
  return found === undefined ? { name: text } : { host: found };
}
