/**
 * Node errors as POE error tuples: `(syscall, errno, errstr)`.
 *
 * Every wheel reports I/O failures through this one module, so a tuple is
 * the same wherever it comes from: the syscall name, the positive errno of
 * this OS (Node's own `err.errno` is negative) and the C library's
 * strerror() text, never Node's message. Model: Twisted's
 * `internet/error.py` errnoMapping.
 */
import { constants } from "node:os";

/** One error as POE passes it: `[syscall, errno, errstr]`. */
export type ErrorTuple = [syscall: string, errno: number, errstr: string];

/**
 * strerror() texts of glibc on Linux, by errno name. Checked against Perl's
 * `"$!"` for each number (`perl -e '$!=111; print "$!"'`).
 */
export const STRERROR: Readonly<Record<string, string>> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "Too many open files",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  EPIPE: "Broken pipe",
  ENAMETOOLONG: "File name too long",
  ENOSYS: "Function not implemented",
  ENOTEMPTY: "Directory not empty",
  ELOOP: "Too many levels of symbolic links",
  EPROTO: "Protocol error",
  EBADMSG: "Bad message",
  ENOTSOCK: "Socket operation on non-socket",
  EDESTADDRREQ: "Destination address required",
  EMSGSIZE: "Message too long",
  EPROTOTYPE: "Protocol wrong type for socket",
  ENOPROTOOPT: "Protocol not available",
  EPROTONOSUPPORT: "Protocol not supported",
  EOPNOTSUPP: "Operation not supported",
  EAFNOSUPPORT: "Address family not supported by protocol",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ENETDOWN: "Network is down",
  ENETUNREACH: "Network is unreachable",
  ENETRESET: "Network dropped connection on reset",
  ECONNABORTED: "Software caused connection abort",
  ECONNRESET: "Connection reset by peer",
  ENOBUFS: "No buffer space available",
  EISCONN: "Transport endpoint is already connected",
  ENOTCONN: "Transport endpoint is not connected",
  ETIMEDOUT: "Connection timed out",
  ECONNREFUSED: "Connection refused",
  EHOSTUNREACH: "No route to host",
  EALREADY: "Operation already in progress",
  EINPROGRESS: "Operation now in progress",
  ECANCELED: "Operation canceled",
};

// Node's own error codes for failures that have no errno: what the same
// failure is at the system-call level.
const NODE_CODES: Readonly<Record<string, string>> = {
  ERR_STREAM_DESTROYED: "EPIPE",
  ERR_STREAM_WRITE_AFTER_END: "EPIPE",
  ERR_SOCKET_CLOSED: "EPIPE",
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION: "ECONNRESET",
  EOF: "ECONNRESET",
  ERR_SOCKET_BAD_PORT: "EINVAL",
  ERR_INVALID_ARG_VALUE: "EINVAL",
  ERR_INVALID_ARG_TYPE: "EINVAL",
  ERR_INVALID_IP_ADDRESS: "EINVAL",
};

/** The DNS error codes of `dns.lookup` (getaddrinfo failures). */
const DNS_CODES = new Set([
  "ENOTFOUND", "ENODATA", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA",
  "EAI_FAMILY", "EAI_SERVICE", "EAI_SOCKTYPE", "EAI_BADFLAGS", "EAI_MEMORY",
  "EAI_SYSTEM", "EAI_ADDRFAMILY", "ESERVFAIL", "EREFUSED", "ETIMEOUT", "ECONNREFUSED_DNS",
]);

/**
 * The positive errno of `code` on this OS (`"ECONNREFUSED"` → 111 on Linux),
 * or 0 when the OS has no such errno.
 */
export function errnoOf(code: string): number {
  return (constants.errno as Record<string, number | undefined>)[code] ?? 0;
}

/** The strerror() text of an errno name (`"ECONNREFUSED"` → `"Connection refused"`). */
export function strerror(code: string): string {
  return STRERROR[code] ?? (code === "" ? "" : `Unknown error ${errnoOf(code)}`);
}

/** `[syscall, errno, errstr]` for an errno name. */
export function tupleFor(syscall: string, code: string): ErrorTuple {
  return [syscall, errnoOf(code), strerror(code)];
}

/** True when `err` is a resolver failure (`ENOTFOUND`, `EAI_AGAIN`, …). */
export function isDnsError(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && DNS_CODES.has(code);
}

/**
 * A Node error as POE's tuple. `syscall` overrides the error's own
 * `err.syscall` (Node names a failed bind "listen"; POE says "bind").
 * Codes without an errno map to the nearest system error, and anything
 * unknown to EIO, so a tuple always has a positive errno.
 */
export function errorTuple(err: unknown, syscall?: string): ErrorTuple {
  let code = codeOf(err) ?? "EIO";
  code = NODE_CODES[code] ?? code;
  if (errnoOf(code) === 0 || STRERROR[code] === undefined) code = "EIO";
  const name = syscall ?? syscallOf(err) ?? "unknown";
  return tupleFor(name, code);
}

function codeOf(err: unknown): string | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

function syscallOf(err: unknown): string | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const syscall = (err as { syscall?: unknown }).syscall;
  return typeof syscall === "string" ? syscall : undefined;
}
