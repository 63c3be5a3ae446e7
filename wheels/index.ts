// The public exports of wheels/. The package entry builds POE.Wheel.* from
// `Wheels`; anything not listed here is internal.

export { WheelSocketFactory } from "./socket-factory.js";
export type { WheelSocketFactoryParams } from "./socket-factory.js";
export { WheelReadWrite } from "./read-write.js";
export type { WheelReadWriteParams } from "./read-write.js";
export { WheelListenAccept } from "./listen-accept.js";
export type { WheelListenAcceptParams } from "./listen-accept.js";
export {
  AF_INET, AF_INET6, AF_UNIX, PF_INET, PF_INET6, PF_UNIX, PF_UNSPEC, SOCK_STREAM, SOMAXCONN,
  INADDR_ANY, INADDR_LOOPBACK,
  pack_sockaddr_in, unpack_sockaddr_in, pack_sockaddr_in6, unpack_sockaddr_in6,
  pack_sockaddr_un, unpack_sockaddr_un, sockaddr_family, inet_aton, inet_ntoa, inet_pton, inet_ntop,
} from "./sockaddr.js";
export { STRERROR } from "./errors.js";
export type { ErrorTuple } from "./errors.js";

import { WheelListenAccept } from "./listen-accept.js";
import { WheelReadWrite } from "./read-write.js";
import { WheelSocketFactory } from "./socket-factory.js";

/** Every wheel class by its POE short name, for building `POE.Wheel`: `Wheels.ReadWrite === WheelReadWrite`. */
export const Wheels = {
  SocketFactory: WheelSocketFactory,
  ReadWrite: WheelReadWrite,
  ListenAccept: WheelListenAccept,
} as const;
