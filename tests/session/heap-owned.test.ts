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

owned("deleting: a value held under two keys survives the first delete; an inherited or non-enumerable key is no holder", () => {
  const log: string[] = [];
  const a = wheel(log, "a");
  const heap: Record<string, unknown> = { first: 1, server: a, spare: a, last: 2 };
  deleteOwned(heap, "server");
  assert.equal(log, []);
  deleteOwned(heap, "spare");
  assert.equal(log, ["destroyed a"]);
  assert.equal(heap, { first: 1, last: 2 });
  // An inherited value: the delete removes nothing, and no own key holds it.
  const b = wheel(log, "b");
  deleteOwned(Object.create({ server: b }) as Record<string, unknown>, "server");
  // Held by an own key besides the inherited one: kept.
  const c = wheel(log, "c");
  const child = Object.create({ server: c }) as Record<string, unknown>;
  child.spare = c;
  deleteOwned(child, "server");
  // Under a non-enumerable key and an enumerable one: the enumerable one still holds it.
  const d = wheel(log, "d");
  const hidden: Record<string, unknown> = { spare: d };
  Object.defineProperty(hidden, "server", { value: d, enumerable: false, configurable: true, writable: true });
  deleteOwned(hidden, "server");
  assert.equal(Object.keys(hidden), ["spare"]);
  assert.equal("server" in hidden, false);
  assert.equal(log, ["destroyed a", "destroyed b"]);
});

owned("the heap's Proxy, deleting: a value under two keys survives the first delete; a symbol key is no holder", () => {
  const log: string[] = [];
  const a = wheel(log, "a");
  const heap = wrapHeap({ first: 1, server: a, spare: a, last: 2 } as Record<PropertyKey, unknown>);
  delete heap.server;
  assert.equal(log, []);
  delete heap.spare;
  assert.equal(log, ["destroyed a"]);
  assert.equal(heap, { first: 1, last: 2 });
  const tag = Symbol("tag");
  const b = wheel(log, "b");
  heap[tag] = b;
  heap.server = b;
  delete heap[tag];
  assert.equal(log, ["destroyed a"]);
  delete heap.server;
  assert.equal(log, ["destroyed a", "destroyed b"]);
  const c = wheel(log, "c");
  heap[tag] = c;
  delete heap[tag];
  assert.equal(log, ["destroyed a", "destroyed b", "destroyed c"]);
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
