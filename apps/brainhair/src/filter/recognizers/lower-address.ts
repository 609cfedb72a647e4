/**
 * Street addresses written in lower case, as chat writes them ("88 s birch st unit 12, yakima
 * 98902"): a number, one to three words, a street suffix, then maybe a unit, a city the gazetteer
 * holds, a state and a ZIP code. Lower case gives no capitals to go by, so the words between the
 * number and the suffix may be no function words ("3 tests on the way"), and only suffixes no
 * everyday word or clinical abbreviation is spelt like count ("head ct", "two-way" do not).
 */
import type { Candidate } from "../candidates.ts";
import { lexicon } from "../persons/lexicon.ts";
import { placeAtStart } from "./places.ts";

const SUFFIX = "(?:st|street|ave|avenue|av|rd|road|blvd|boulevard|dr|ln|lane|pl|hwy|highway|pkwy|parkway|ter|cir|trl)";
const DIRECTION = "(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\\.?";
const WORD = "(?:[a-z][a-z'’-]+|\\d{1,3}(?:st|nd|rd|th))";
const END = "(?![\\p{L}\\p{N}])";
const UNIT = `(?:,?\\s+(?:(?:apt|unit|ste|suite|rm|room|bldg|fl)\\.?\\s*#?|#\\s?)[a-z0-9-]{1,6}${END})?`;
/** Not after a dot, colon, slash or dash: "10.0.2 main", "14:30", "2024-05" are no house numbers. */
const STREET = new RegExp(
  `(?<![\\p{L}\\p{N}.:/#-])\\d{1,6}[a-z]?\\s+(?:${DIRECTION}\\s+)?((?:${WORD}\\s+){1,3})${SUFFIX}\\.?` +
    `(?:\\s+${DIRECTION})?${END}${UNIT}`,
  "gu",
);
const CITY_RUN = /^,?\s+([a-z][a-z'’-]+(?: [a-z][a-z'’-]+){0,2})/;
const CLAUSE_END = /^(?:[.;!?]|\s*\n|\s*$|,?\s+(?:[a-z]{2}\s+)?\d{5}(?!\d))/;
const ZIP_AFTER = /^(?:,?\s+[a-z]{2})?,?\s+(\d{5}(?:-\d{4})?)(?![\p{N}-])/u;

// biome-ignore format: a word list reads better packed
const FUNCTION_WORDS = new Set([
  "the", "a", "an", "on", "in", "at", "of", "to", "for", "and", "or", "with", "my", "our", "your", "his", "her",
  "their", "its", "is", "was", "are", "were", "be", "more", "other", "new", "old", "this", "that", "these",
  "those", "some", "any", "all", "no", "not", "from", "by", "per", "via", "than", "then", "each", "every",
]);

/**
 * A city the gazetteer leaves out because it is also an English word ("meridian", "eagle"): after the
 * street and a comma, ending the clause or before a ZIP code, and no word of the commonest tier.
 */
function cityAtClauseEnd(text: string, end: number, run: string, city: string): string | null {
  if (!run.startsWith(",") || !CLAUSE_END.test(text.slice(end + run.length, end + run.length + 12))) return null;
  const words = city.split(" ");
  return words.every((w) => !FUNCTION_WORDS.has(w) && lexicon().english.get(w) !== 10) ? city : null;
}

export function lowerCaseAddresses(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!/\d\s+[a-z]/.test(text)) return out;
  for (const m of text.matchAll(STREET)) {
    if (
      m[1]!
        .trim()
        .split(/\s+/)
        .some((w) => FUNCTION_WORDS.has(w))
    )
      continue;
    let end = m.index + m[0].length;
    out.push({ type: "LOCATION", start: m.index, end, score: 70 });
    const city = CITY_RUN.exec(text.slice(end, end + 60));
    const place = city ? (placeAtStart(city[1]!) ?? cityAtClauseEnd(text, end, city[0], city[1]!)) : null;
    if (city && place) {
      const start = end + city[0].length - city[1]!.length;
      end = start + place.length;
      out.push({ type: "LOCATION", start, end, score: 60 });
    }
    const zip = ZIP_AFTER.exec(text.slice(end, end + 30));
    if (zip && (place || /^,?\s+\d/.test(zip[0]))) {
      const start = end + zip[0].length - zip[1]!.length;
      out.push({ type: "LOCATION", start, end: start + zip[1]!.length, score: 60 });
    }
  }
  return out;
}
