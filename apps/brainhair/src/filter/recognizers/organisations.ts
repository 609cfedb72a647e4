/**
 * Company and product names, kept whole: the caller's client companies and products, the built-in
 * product list, and capitalised runs ending in a word only organisations end in ("Alder & Finch
 * CPAs", "Lakemont Police Department"). A person's name inside one is not a person: a firm named
 * after its partners is still a company, so such a run outranks every person reading of its words.
 */
import type { KeepSpan } from "../candidates.ts";
import { type Compiled, NAME_WORD } from "../options.ts";
import { STREET_SUFFIXES } from "./location.ts";

const STREET_SUFFIX = new Set(STREET_SUFFIXES.map((s) => s.toLowerCase()));

// biome-ignore format: a word list reads better packed
const ORG_WORDS = new Set([
  "group", "associates", "clinic", "clinics", "practice", "medical", "hospital", "health", "healthcare", "care",
  "center", "centre", "dentistry", "dental", "orthodontics", "pediatrics", "counseling", "therapy", "pharmacy",
  "labs", "laboratory", "imaging", "radiology", "surgery", "surgical", "chiropractic", "optometry", "vision", "eye",
  "physicians", "medicine", "wellness", "rehab", "hospice", "smiles", "law", "legal", "attorneys", "lawyers", "firm",
  "llp", "llc", "inc", "corp", "corporation", "co", "company", "ltd", "pllc", "pc", "cpas", "cpa", "accountants",
  "accounting", "bookkeeping", "advisors", "partners", "consulting", "services", "solutions", "systems",
  "technologies", "industries", "manufacturing", "castings", "composites", "imports", "exports", "supply",
  "logistics", "construction", "builders", "electric", "plumbing", "motors", "farms", "foods", "bank", "insurance",
  "realty", "properties", "holdings", "capital", "trust", "foundation", "church", "school", "academy", "university",
  "college", "district", "agency", "authority", "council", "association", "society", "institute", "department",
  "dept", "police", "sheriff", "sheriff's", "court", "courts", "dispatch", "jail", "corrections", "probation",
  "county", "municipal", "office", "prosecutor", "defender", "enterprises", "studio", "studios", "works",
  // Medical specialties and trades name practices and firms ("Santa Fe Dermatology", "Yuma Valley Orthopedics").
  "orthopedics", "orthopaedics", "dermatology", "cardiology", "oncology", "neurology", "urology", "podiatry",
  "ophthalmology", "gastroenterology", "psychiatry", "psychology", "obstetrics", "gynecology", "pulmonology",
  "nephrology", "rheumatology", "endocrinology", "allergy", "audiology", "otolaryngology", "pathology",
  "anesthesiology", "endodontics", "periodontics", "prosthodontics", "midwifery", "nursing", "hearing", "ortho",
  "towing", "paving", "roofing", "landscaping", "trucking", "transport", "heating", "apartments", "solar",
]);

const CONNECTORS = new Set(["and", "of", "the", "for"]);
const WORD = "\\p{Lu}[\\p{L}\\p{N}'’.-]*";
const RUN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${WORD}|&)(?:[ ](?:${WORD}|&|and|of|the|for)){1,7}`, "gu");

/** The caller's companies and products and the built-in products, found word by word. */
function knownNames(text: string, options: Compiled): KeepSpan[] {
  const out: KeepSpan[] = [];
  for (const m of text.matchAll(NAME_WORD)) {
    const word = m[0].toLowerCase();
    // "Castings." at a sentence's end: the word without its period.
    const phrases = options.byFirstWord.get(word) ?? options.byFirstWord.get(word.replace(/[.,]+$/, ""));
    if (!phrases) continue;
    const hit = phrases.find(
      (p) =>
        text.slice(m.index, m.index + p.lower.length).toLowerCase() === p.lower &&
        !/[\p{L}\p{N}]/u.test(text[m.index + p.lower.length] ?? ""),
    );
    // One word ("Dell") is weaker than a phrase: a person named with a strong cue still wins over it.
    if (hit) out.push({ start: m.index, end: m.index + hit.lower.length, score: hit.words > 1 ? 95 : 70 });
  }
  return out;
}

export function organisations(text: string, options: Compiled): KeepSpan[] {
  const out = knownNames(text, options);
  for (const m of text.matchAll(RUN)) {
    // A period ends the sentence, and the run with it ("…is FV-118273. Clinic: …"), after all but
    // initials and abbreviations ("Inc.", "St."): each sentence's part is read on its own.
    const all = m[0].split(" ");
    let from = 0;
    let offset = m.index;
    for (let i = 0; i < all.length; i++) {
      if (i < all.length - 1 && !(all[i]!.endsWith(".") && all[i]!.length > 4)) continue;
      const words = all.slice(from, i + 1);
      organisation(words, offset, out);
      offset += words.join(" ").length + 1;
      from = i + 1;
    }
  }
  return out;
}

function organisation(words: string[], at: number, out: KeepSpan[]): void {
  let last = -1;
  for (const [i, w] of words.entries()) if (ORG_WORDS.has(w.toLowerCase().replace(/[.,]$/, ""))) last = i;
  // "John Smith of Smith & Jones LLP": the company starts after the last "of", "and", "the" or "for".
  let first = 0;
  for (let i = 0; i < last; i++) if (CONNECTORS.has(words[i]!)) first = i + 1;
  if (last - first < 1) return;
  // "410 N Court St", "12 Church Rd": a street named for an institution is an address.
  if (STREET_SUFFIX.has(words[last + 1]?.toLowerCase().replace(/[.,]$/, "") ?? "")) return;
  const start = at + words.slice(0, first).join(" ").length + (first > 0 ? 1 : 0);
  out.push({ start, end: at + words.slice(0, last + 1).join(" ").length, score: 88 });
}
