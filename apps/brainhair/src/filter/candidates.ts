/** What recognizers report: typed spans of the original text, scored for overlap resolution. */
import type { EntityType } from "./levels.ts";

/** How a person is written back: first name kept, surname shortened to its initial. */
export interface PersonParts {
  first?: string;
  surname: string;
}

export interface Candidate {
  type: EntityType;
  start: number;
  end: number;
  /** Higher wins when spans overlap; see resolve.ts. */
  score: number;
  person?: PersonParts;
}

/** A span that must survive (a look-alike, a company or product name): weaker candidates over it are dropped. */
export interface KeepSpan {
  start: number;
  end: number;
  score: number;
}
