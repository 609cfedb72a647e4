/**
 * The PHI/CJIS filter Brainhair applies wherever data goes to the model or to logs: pure and
 * synchronous, so that `POST /api/filter` is a thin wrapper around these two calls.
 */
export { type FilterTextResult, filterText } from "./text.ts";
export { filterData, type Json } from "./data.ts";
export type { FilterOptions } from "./options.ts";
export type { Entity } from "./render.ts";
export { type EntityType, isLevel, LEVEL_TYPES, LEVELS, type Level } from "./levels.ts";
