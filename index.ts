/**
 * poe-ts: POE, Perl's event-driven actor runtime, in TypeScript.
 *
 * `import { POE, KERNEL, HEAP, ARG0 } from "poe-ts"` gives the namespace of
 * PORTING.md (`POE.Kernel`, `POE.Session.create`, `POE.Filter.Line.new`, …)
 * and POE's handler-argument constants.
 */
import { poeKernel, Session, VirtualClock } from "./kernel/index.js";
import { Filters } from "./filters/index.js";
import { Wheels } from "./wheels/index.js";
import { Component } from "./components/index.js";

export * from "./kernel/index.js";
export * from "./filters/index.js";
export * from "./wheels/index.js";
export * from "./components/index.js";

/** The POE namespace: `POE.Kernel`, `POE.Session`, `POE.Filter.*`, `POE.time()`. */
export const POE = {
  /** The kernel, Perl's `$poe_kernel`. */
  Kernel: poeKernel,
  Session,
  Filter: Filters,
  Wheel: Wheels,
  Component,
  VirtualClock,
  /** Epoch seconds with fractions, Perl's `Time::HiRes::time()` (the kernel's clock). */
  time: (): number => poeKernel.time(),
};
