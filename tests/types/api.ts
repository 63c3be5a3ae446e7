// Type-level checks of the public API, compiled by `tsc` (npm test's
// typecheck) and never run: each `@ts-expect-error` line must fail to
// type-check, or tsc reports the directive as unused.
import { ARG0, HEAP, KERNEL, POE, type HandlerArgs } from "../../index.js";

interface Counter {
  count: number;
  label?: string;
}

/** Type-checks the calls in its body without running them. */
export function typeChecks(): void {
  // Handlers get `_`; the heap type is a generic parameter of create().
  POE.Session.create<Counter>({
    inline_states: {
      _start: (_) => {
        const heap: Counter = _.heap;
        heap.count += 1;
        // @ts-expect-error -- the heap has no such field
        _.heap.missing = 1;
        _[KERNEL].yield("tick", _[ARG0]);
      },
      tick: (_: HandlerArgs<Counter>) => _.heap.count,
    },
    heap: { count: 0 },
    args: [1, 2],
  });

  POE.Session.create({
    inline_states: {
      // @ts-expect-error -- a handler is a function
      _start: "not a function",
    },
  });

  // Kernel calls take POE's argument types.
  POE.Kernel.delay("tick", 0.5);
  // @ts-expect-error -- seconds are a number
  POE.Kernel.delay("tick", "5");
  const id: number | undefined = POE.Kernel.alarm_set("tick", POE.time() + 1, "arg");
  void id;
  // @ts-expect-error -- an event name is a string
  POE.Kernel.yield(42);

  // Filters take their documented parameters.
  POE.Filter.Line.new({ Literal: "\n", MaxLength: 1024 });
  // @ts-expect-error -- MaxLength is a number
  POE.Filter.Line.new({ MaxLength: "1024" });

  // Client.TCP requires RemoteAddress, RemotePort and ServerInput.
  POE.Component.Client.TCP.new<Counter>({
    RemoteAddress: "127.0.0.1",
    RemotePort: 7,
    ServerInput: (_) => {
      _[HEAP].count += 1;
    },
    Connected: (_) => _.heap.count,
  });
  // @ts-expect-error -- ServerInput is required
  POE.Component.Client.TCP.new({ RemoteAddress: "127.0.0.1", RemotePort: 7 });
  POE.Component.Client.TCP.new({
    RemoteAddress: "127.0.0.1",
    RemotePort: 7,
    ServerInput: () => {},
    // @ts-expect-error -- ConnectTimeout is in seconds, a number
    ConnectTimeout: "5",
  });
}
