// Every filter class by its short POE name. Internal: filters/index.ts
// re-exports it as `Filters`, and lookup.ts resolves names through it.

import { FilterBlock } from "./block.js";
import { FilterGrep } from "./grep.js";
import { FilterLine } from "./line.js";
import { FilterMap } from "./map.js";
import { FilterRecordBlock } from "./record-block.js";
import { FilterReference } from "./reference.js";
import { FilterStackable } from "./stackable.js";
import { FilterStream } from "./stream.js";

/** Every filter class by its short name: `Filters.Line` is POE::Filter::Line. */
export const FILTER_CLASSES = {
  Line: FilterLine,
  Stream: FilterStream,
  Block: FilterBlock,
  RecordBlock: FilterRecordBlock,
  Grep: FilterGrep,
  Map: FilterMap,
  Stackable: FilterStackable,
  Reference: FilterReference,
} as const;
