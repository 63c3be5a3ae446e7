// The public exports of filters/. The package entry builds POE.Filter.* from
// `Filters`; anything not listed here is internal.

export { Filter, FilterError, FILTER_ERROR_CODES, DEFAULT_MAX_LENGTH, DEFAULT_MAX_BUFFER } from "./filter.js";
export type { Chunk, FilterParams, FilterErrorCode } from "./filter.js";
export { FilterLine } from "./line.js";
export type { FilterLineParams } from "./line-params.js";
export { FilterStream } from "./stream.js";
export type { FilterStreamParams } from "./stream.js";
export { FilterBlock } from "./block.js";
export type { FilterBlockParams, LengthCodec, BlockRef } from "./block.js";
export { FilterRecordBlock } from "./record-block.js";
export type { FilterRecordBlockParams } from "./record-block.js";
export { FilterGrep } from "./grep.js";
export type { FilterGrepParams, GrepCode } from "./grep.js";
export { FilterMap } from "./map.js";
export type { FilterMapParams, MapCode } from "./map.js";
export { FilterStackable } from "./stackable.js";
export type { FilterStackableParams } from "./stackable.js";
export { FilterReference, REFERENCE_SERIALIZERS } from "./reference.js";
export type { FilterReferenceParams, ReferenceSerializer } from "./reference.js";
export { resolveFilter, filterClass } from "./lookup.js";
export type { FilterClass, FilterSpec } from "./lookup.js";

import { FILTER_CLASSES } from "./registry.js";

/**
 * Every filter class by its POE short name, for building `POE.Filter`:
 * `Filters.Line === FilterLine`, ..., `Filters.Reference === FilterReference`.
 */
export const Filters = FILTER_CLASSES;
