// Every filter class by its short POE name. Internal: filters/index.ts
// re-exports it as `Filters`, and lookup.ts resolves names through it.

import { FilterLine } from "./line.js";
import { FilterStream } from "./stream.js";

/** Every filter class by its short name: `Filters.Line` is POE::Filter::Line. */
export const FILTER_CLASSES = {
  Line: FilterLine,
  Stream: FilterStream,
} as const;
