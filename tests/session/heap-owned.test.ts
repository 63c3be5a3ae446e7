// storeOwned / deleteOwned: how components store and drop their wheels in
// a session's heap. On any heap they have the effect of the heap's Proxy
// (kernel/heap.ts): the value replaced or deleted is destroyed unless
// another key still holds it, and destroyed once only.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DESTROY } from "../../kernel/index.js";
import { deleteOwned, storeOwned, wrapHeap } from "../../kernel/heap.js";

/** A destroyable value that logs its destruction as `destroyed <name>`. */
function wheel(log: string[], name: string) {
  return {
    name,
    [DESTROY]() {
      log.push(`destroyed ${name}`);
    },
  };
}

class ClassHeap {
  [key: string]: unknown;
}

const owned = suite("storeOwned and deleteOwned");

owned("on a heap without a Proxy (the object behind one, a class instance): replaced and deleted values are destroyed", () => {
  for (const heap of [{} as Record<string, unknown>, new ClassHeap()]) {
    const log: string[] = [];
    storeOwned(heap, "server", wheel(log, "a"));
    storeOwned(heap, "server", wheel(log, "b"));
    log.push("stored b");
    deleteOwned(heap, "server");
    assert.equal(log, ["destroyed a", "stored b", "destroyed b"]);
    assert.equal(Object.keys(heap), []);
  }
});

owned("a value another key still holds is not destroyed", () => {
  const log: string[] = [];
  const heap: Record<string, unknown> = {};
  const a = wheel(log, "a");
  storeOwned(heap, "server", a);
  heap.spare = a;
  storeOwned(heap, "server", wheel(log, "b"));
  deleteOwned(heap, "spare");
  assert.equal(log, ["destroyed a"]);
  assert.equal(Object.keys(heap), ["server"]);
});

owned("storing the same value again, or a value that is not destroyable, destroys nothing", () => {
  const log: string[] = [];
  const heap: Record<string, unknown> = {};
  const a = wheel(log, "a");
  storeOwned(heap, "server", a);
  storeOwned(heap, "server", a);
  storeOwned(heap, "count", 1);
  storeOwned(heap, "count", 2);
  deleteOwned(heap, "count");
  deleteOwned(heap, "missing");
  assert.equal(log, []);
  assert.equal(heap, { server: a });
});

owned("on a heap's Proxy the Proxy destroys, once", () => {
  const log: string[] = [];
  const heap = wrapHeap({} as Record<string, unknown>);
  storeOwned(heap, "server", wheel(log, "a"));
  storeOwned(heap, "server", wheel(log, "b"));
  deleteOwned(heap, "server");
  assert.equal(log, ["destroyed a", "destroyed b"]);
});

owned.run();
