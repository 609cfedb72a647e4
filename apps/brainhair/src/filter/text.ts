/** filterText: one string in, the filtered string and what was removed out. */
import { analyze, withKnown } from "./analyze.ts";
import type { Level } from "./levels.ts";
import { compiled, type FilterOptions } from "./options.ts";
import { KnownPeople } from "./persons/recurring.ts";
import { type Entity, render } from "./render.ts";

export interface FilterTextResult {
  text: string;
  entities: Entity[];
}

export function filterText(text: string, level: Level, options?: FilterOptions): FilterTextResult {
  const analysis = analyze(text, level, compiled(options));
  const known = new KnownPeople();
  known.remember(analysis.found);
  return render(text, withKnown(text, level, analysis, known));
}
