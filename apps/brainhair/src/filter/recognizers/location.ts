/**
 * LOCATION: street addresses (number and street), PO boxes, and the city and ZIP code written with
 * them or with a state. A city alone in prose is not taken: without a gazetteer it cannot be told
 * from a company or a product. States are never removed.
 */
import type { Candidate } from "../candidates.ts";
import { B_END, B_START } from "../context.ts";
import { lowerCaseAddresses } from "./lower-address.ts";
import { isKnownPlace, placeAt, placeAtStart } from "./places.ts";
import { AMBIGUOUS_ABBRS, STATE_ABBRS, STATE_NAMES } from "./us-states.ts";

// biome-ignore format: a word list reads better packed
export const STREET_SUFFIXES = [
  "Street", "St", "Avenue", "Ave", "Av", "Road", "Rd", "Drive", "Dr", "Lane", "Ln", "Boulevard", "Blvd", "Way",
  "Court", "Ct", "Circle", "Cir", "Place", "Pl", "Terrace", "Ter", "Trail", "Trl", "Parkway", "Pkwy", "Highway",
  "Hwy", "Loop", "Square", "Sq", "Plaza", "Path", "Pike", "Row", "Run", "Crossing", "Alley", "Bend", "Cove", "Crest",
  "Glen", "Heights", "Hts", "Hollow", "Landing", "Meadows", "Park", "Point", "Pt", "Ridge", "Spur", "Turnpike",
  "Tpke", "Vista", "View", "Walk", "Freeway", "Fwy", "Expressway", "Close", "Crescent", "Grove", "Causeway", "Mall",
  "Pass", "Trace", "Commons", "Green", "Gardens", "Manor", "Knoll", "Hill", "Springs", "Shores", "Summit", "Woods",
  "Estates", "Ext",
];
const SUFFIX = `(?:${STREET_SUFFIXES.flatMap((s) => [s, s.toUpperCase()]).join("|")})`;
const CAP = "\\p{Lu}[\\p{L}'’-]*";
const NAME_WORD = `(?:${CAP}|\\d{1,3}(?:st|nd|rd|th|ST|ND|RD|TH))`;
const DIRECTION = "(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?";
const UNIT_WORD = "(?:Suite|Ste|Apt|Unit|Bldg|Building|Floor|Fl|Rm|Room|SUITE|STE|APT|UNIT)";
/** A unit after the street belongs to the address: "Apt 3B", ", Suite 410", "#14". */
const UNIT = `(?:,?\\s+(?:${UNIT_WORD}\\.?\\s*#?|#\\s?)[A-Za-z0-9-]{1,6}${B_END})?`;
const NUMBERED_ROAD = "(?:US\\s+|State\\s+)?(?:Highway|Hwy|Route|Rte|County\\s+Road|CR|SR)\\s+\\d{1,4}";
/** "Ranch Rd 620 N", "County Road 14": a road known by its number after the suffix. */
const ROAD_NUMBER = `(?:\\s+\\d{1,4}(?![\\d:.])(?:\\s+${DIRECTION}(?![\\p{L}]))?)?`;
/** Streets named with the type first, as in the Southwest and abroad: "19 Camino Real", "22 Rue Lafayette". */
const TYPE_FIRST =
  "(?:Calle|Camino|Avenida|Paseo|Rue|Chemin|Carrera|Avenue\\s+(?:de|du|des))" +
  `\\s+(?:(?:de|del|de\\s+la|des|du|los|las|la|le|el)\\s+)?${CAP}(?:\\s+(?!${UNIT_WORD}\\b)${CAP}){0,2}`;
const STREET =
  // "N1234 State Hwy 33" (grid numbers), "123 1/2 Main St".
  `${B_START}[NSEW]?\\d{1,6}[A-Z]?(?:-\\d{1,4})?(?:\\s1/2)?\\s+(?:${DIRECTION}\\s+)?` +
  `(?:${NUMBERED_ROAD}|${TYPE_FIRST}|` +
  `(?:${NAME_WORD}\\s+){1,4}${SUFFIX}\\.?${ROAD_NUMBER}(?:\\s+${DIRECTION}(?![\\p{L}]))?)${B_END}`;
/** One to three capitalised words, a particle allowed before one: "Walla Walla", "Coeur d'Alene". */
const CITY = `${CAP}(?:[ ](?:d['’]|(?:de|du|la|le|del|des)[ ])?${CAP}){0,2}`;
const STATE = `(?:${[...STATE_ABBRS].join("|")}|${STATE_NAMES.join("|").replace(/ /g, "\\s+")})`;
const ZIP = "\\d{5}(?:-\\d{4})?";

const PO_BOX =
  `${B_START}(?:(?:[Pp]\\.?\\s?[Oo]\\.?\\s*[Bb][Oo][Xx]|POB|Post\\s+Office\\s+Box)\\s*#?\\s*\\d{1,7}|` +
  `(?:RR|Rural\\s+Route|HC|Star\\s+Route)\\s*\\d{1,4},?\\s+Box\\s*\\d{1,5})${B_END}`;

/** A street or PO box, then optionally unit, city, state and ZIP code ("1906 Larkspur Dr, Lewiston 83501"). */
const ADDRESS = new RegExp(
  `((?:${STREET}|${PO_BOX})${UNIT})(?:(?:,\\s*|[ ]{2,}|\\s*\\n\\s*)(${CITY})` +
    `(?=\\s*(?:[,.;:)"\\n]|$|\\s+\\d{5}${B_END}|\\s+${STATE}${B_END}))|` +
    // One space only when a state or ZIP code follows the city: "55 Wexford Ln Canal Winchester OH 43110".
    `[ ](${CITY})(?=,?\\s+(?:\\d{5}|${STATE})${B_END}))?` +
    `(?:,?\\s+(?:${STATE})${B_END})?(?:,?\\s+(${ZIP})${B_END}(?![-.]\\d))?`,
  "dgu",
);
/** "Missoula, MT 59801", "Flagstaff, Arizona", "in Helena, MT": a city known by the state after it. */
const CITY_STATE = new RegExp(
  `(?<=^|[,\\n(]\\s*|\\b(?:in|to|from|at|near|of)\\s+)(${CITY})(,?)\\s*(${STATE})${B_END}(?:,?\\s+(${ZIP})${B_END})?`,
  "dgmu",
);
/** A word in any letter case, for patterns that must stay case-sensitive elsewhere (\\p{Lu}). */
const anyCase = (word: string): string =>
  [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join("");
const LABELLED = new RegExp(
  `${B_START}(?:(?:${anyCase("city")}|${anyCase("town")}|"(?:city|town)")\\s*[:=]\\s*"?(${CITY})|` +
    `(?:${anyCase("zip")}(?:\\s*${anyCase("code")})?|${anyCase("postal")}\\s*${anyCase("code")}|"(?:zip|` +
    `zip_?code|postal_?code)")` +
    `\\s*[:=#]?\\s*(?:is\\s+)?"?(${ZIP})${B_END})`,
  "dgu",
);
/** Where someone lives: "lives in Bozeman", "moved to Great Falls". */
const LIVES = "(?:lives|lived|living|resides|resided|residing|moved|moving|relocated|relocating|home)";
const RESIDENCE = new RegExp(`${B_START}${LIVES}\\s+(?:in|to)\\s+(${CITY})`, "dgu");
/** Words that make a capitalised run an organisation, not a city ("Dunmore County Sheriff, Idaho"). */
const NOT_CITY = /\b(?:County|Department|Court|Sheriff|Clinic|Hospital|Group|Inc|LLC|LLP|Office|Center|Centre)\b/;

function span(m: RegExpMatchArray, group: number, score: number): Candidate | null {
  const value = m[group];
  if (!value || m.indices === undefined) return null;
  const [start, end] = m.indices[group]!;
  return { type: "LOCATION", start, end, score };
}

/**
 * A known US place after a word that puts someone or something there ("from her home in
 * Youngstown", "Marcus Oyelowo of Dayton", "moved to Fresno"), or before a state ("Dayton OH"),
 * when no capitalised word carries on after it (so "in Dayton Children's Hospital" is left to the
 * organisation rule).
 */
const PLACE_CUE = new RegExp(
  "(?<![\\p{L}\\p{N}])(?:in|from|to|near|of|at|outside|around|into|toward|towards|via|" +
    "and)\\s+(\\p{Lu}[\\p{L}'’.-]*(?:\\s\\p{Lu}[\\p{L}'’.-]*){0,3})",
  "uy",
);
const STATE_AFTER = new RegExp(`^,?\\s+(?:${STATE})${B_END}`, "u");

/** "the Fresno office", "our Harrisburg branch": a place named by the site that is there. */
const BEFORE_SITE = new RegExp(
  "(?<![\\p{L}\\p{N}])(\\p{Lu}[\\p{L}'’.-]*(?:\\s\\p{Lu}[\\p{L}'’.-]*){0,2})\\s+(?:office|branch|location|" +
    "site|campus|area|region|warehouse|store|plant|substation|precinct|station|facility|home|residence|" +
    "apartment|address|clinic|hospital|practice|school|courthouse|jail)\\b",
  "gu",
);

const SITE_HINT = new RegExp(
  "\\b(?:office|branch|location|site|campus|area|region|warehouse|store|plant|substation|precinct|station|" +
    "facility|home|residence|apartment|address|clinic|hospital|practice|school|courthouse|jail)\\b",
  "",
);
/**
 * Where a cue word stands before what may be a capital (anything but a space, digit or ASCII lower
 * case, so no capital of any script is missed), found without the u flag, which is much faster;
 * PLACE_CUE is then tried there.
 */
const CUE_HINT = /\b(?:in|from|to|near|of|at|outside|around|into|toward|towards|via|and)\s+[^\sa-z0-9]/g;

function knownPlaces(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of SITE_HINT.test(text) ? text.matchAll(BEFORE_SITE) : []) {
    const run = m[1]!;
    const words = run.split(/\s/);
    // The place is the run's last words: "the Fresno office", "Downtown Round Rock office".
    for (let k = 0; k < words.length; k++) {
      const name = words.slice(k).join(" ");
      if (!isKnownPlace(name)) continue;
      const start = m.index + run.length - name.length;
      out.push({ type: "LOCATION", start, end: start + name.length, score: 50 });
      break;
    }
  }
  for (const hint of text.matchAll(CUE_HINT)) {
    PLACE_CUE.lastIndex = hint.index;
    const m = PLACE_CUE.exec(text);
    if (!m) continue;
    // The run ends with its sentence: "of Richmond. The records…".
    const runStart = m.index + m[0].length - m[1]!.length;
    const run = m[1]!.replace(/[.,;:!?]\s.*$/su, "");
    const hit = placeAt(text, runStart) ?? placeAtStart(run);
    if (!hit) continue;
    const start = runStart;
    const end = start + hit.length;
    const rest = text.slice(end, end + 40);
    // "in Dayton Children's", "to Jackson Hewitt": a capitalised word after it makes it part of a name.
    if (/^\s\p{Lu}/u.test(rest) && !STATE_AFTER.test(rest)) continue;
    out.push({ type: "LOCATION", start, end, score: STATE_AFTER.test(rest) ? 58 : 50 });
  }
  return out;
}

/**
 * Where an address or a state puts a city, a name the gazetteer holds is that city, even when it
 * reads as a person's name too ("PO Box 2291, Walla Walla, WA", "Moses Lake, WA 98837").
 */
const KNOWN_CITY_SCORE = 68;

export function locations(text: string): Candidate[] {
  const out: Candidate[] = [];
  // "lives in Coeur d'Alene": the whole of a known place that starts with the capitalised run.
  const widened = (c: Candidate | null): Candidate | null => {
    const place = c && placeAt(text, c.start);
    return c && place && place.length > c.end - c.start ? { ...c, end: c.start + place.length } : c;
  };
  const known = (c: Candidate | null): Candidate | null =>
    c && isKnownPlace(text.slice(c.start, c.end)) ? { ...c, score: Math.max(c.score, KNOWN_CITY_SCORE) } : c;
  const add = (c: Candidate | null) => {
    if (c && !NOT_CITY.test(text.slice(c.start, c.end)) && !isState(text.slice(c.start, c.end))) out.push(c);
  };
  for (const m of text.matchAll(ADDRESS)) {
    // A street may be named for a court or a county ("410 N Court St"); only a city may not.
    const street = span(m, 1, 76);
    if (street) out.push(street);
    // "…, Dayton OH": the state after the city is not part of it.
    const city = span(m, 2, 60) ?? span(m, 3, 60);
    if (city) {
      const words = text.slice(city.start, city.end).split(" ");
      while (words.length > 1 && isState(words.at(-1)!)) words.pop();
      city.end = city.start + words.join(" ").length;
    }
    add(known(city));
    add(span(m, 4, 60));
  }
  for (const m of text.matchAll(CITY_STATE)) {
    // Without the comma ("Dillon MT 59725") or with a state abbreviation that is also a word, only with a ZIP.
    if ((m[2] === "" || AMBIGUOUS_ABBRS.has(m[3]!)) && !m[4]) continue;
    add(known(span(m, 1, 55)));
    add(span(m, 4, 60));
  }
  for (const c of lowerCaseAddresses(text)) add(c);
  for (const m of text.matchAll(RESIDENCE)) add(widened(span(m, 1, 55)));
  for (const c of knownPlaces(text)) add(c);
  for (const m of text.matchAll(LABELLED)) {
    add(span(m, 1, 60));
    add(span(m, 2, 60));
  }
  return out;
}

const STATE_ONLY = new RegExp(`^${STATE}$`, "u");
const isState = (s: string): boolean => STATE_ONLY.test(s);
