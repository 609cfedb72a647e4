/** Scoring a filter over labelled data, for `bun run bench phi` (the package's `./filter/eval` export). */
export { type LabelledItem, loadLabelled } from "./labelled.ts";
export { rate, type Score, score, type Tally } from "./score.ts";
