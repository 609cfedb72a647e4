/**
 * How much a word looks like a first name or a surname, from -1 (an everyday word: never) to about
 * 1 (a common name that is no English word). Names that are also words ("Faith", "Mason") score in
 * between, so that they need a second name or a cue beside them.
 */
import type { Lexicon, Lookup } from "./lexicon.ts";
import { isForeignWord, nameShape } from "./name-shape.ts";
import type { Token } from "./tokens.ts";

/** How much being an English word of each SCOWL tier takes away. */
const WORD_PENALTY: Record<number, number> = { 10: 0.6, 20: 0.4, 35: 0.25, 40: 0.1, 50: 0.05 };

/** Never part of a name, whatever the lexicons say (they hold "Server", "Will", "Office" as names). */
// biome-ignore format: a word list reads better packed
const NEVER = new Set([
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
  "july", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jul", "aug",
  "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "fri", "sat", "sun", "am", "pm", "est",
  "pst", "cst", "mst", "utc", "gmt", "hi", "hello", "hey", "dear", "thanks", "thank", "please", "ok", "okay",
  "yes", "no", "re", "fw", "fwd", "subject", "ticket", "error", "alert", "warning", "critical", "info", "note",
  "notes", "update", "issue", "problem", "request", "server", "printer", "laptop", "desktop", "workstation",
  "router", "switch", "firewall", "network", "wifi", "vpn", "backup", "email", "mail", "inbox", "outlook",
  "portal", "login", "password", "account", "user", "admin", "support", "helpdesk", "help", "desk", "team",
  "group", "site", "office", "clinic", "room", "unit", "dept", "department", "agency", "court", "county",
  "city", "state", "street", "road", "avenue", "suite", "floor", "building", "north", "south", "east", "west",
  "new", "old", "main", "front", "back", "test", "prod", "dev", "it", "pc", "mac", "hr", "qa", "id", "dob",
  "mrn", "ssn", "dl", "npi", "dea", "fbi", "sid", "ip", "dns", "dhcp", "ad", "gpo", "rds", "vm", "os",
  "agent", "driver", "officer", "patient", "client", "customer", "vendor", "provider", "nurse", "doctor",
  "deputy", "judge", "clerk", "tech", "manager", "owner", "billing", "reception", "pt", "dr", "mr", "mrs", "ms",
  "sgt", "lt", "det", "capt", "jr", "sr", "ii", "iii", "iv", "llc", "inc", "ltd", "corp", "co",
  // Dispatch's abbreviations for the parties to a call: reporting party, subject, suspect, complainant…
  "rp", "subj", "susp", "comp", "vict", "drvr", "occ", "juv", "pltf",
  // Ranks, which stand before names as titles and are none themselves.
  "sergeant", "detective", "lieutenant", "corporal", "trooper", "inspector", "commander", "commissioner",
]);

/** Lower-case particles inside surnames: "de Vries", "Dela Rosa", "van der Berg". */
export const PARTICLES = new Set([
  "de",
  "da",
  "del",
  "della",
  "dela",
  "der",
  "den",
  "van",
  "von",
  "du",
  "di",
  "le",
  "la",
  "dos",
  "das",
  "bin",
  "ibn",
  "al",
  "el",
  "st",
  "ter",
  "ten",
  "y",
  // Irish, Scottish, Welsh, Māori, Arabic and Italian/German ones: "Ní Bhriain", "Ó Briain", "Te Whata".
  "ó",
  "o",
  "ní",
  "nic",
  "mac",
  "mhic",
  "uí",
  "ua",
  "te",
  "ap",
  "bint",
  "binti",
  "dei",
  "degli",
  "zu",
]);

export const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv"]);

export interface Likeness {
  first: number;
  surname: number;
  /** An English word of tier 35 or commoner. */
  wordy: boolean;
  /** An English word of any tier SCOWL lists up to 50. */
  english: boolean;
}

/**
 * A hyphenated name is looked up whole, else by its parts: a double first name ("Mei-Ling") needs
 * every part to be one, a double surname ("Okonkwo-Reyes") any part.
 */
function weight(names: Lookup<number>, w: string, every: boolean): number | undefined {
  const whole = names.get(w);
  if (whole !== undefined || !w.includes("-")) return whole;
  const parts = w.split("-").map((p) => names.get(p));
  const known = parts.filter((p) => p !== undefined);
  if (known.length === 0 || (every && known.length < parts.length)) return undefined;
  return every ? Math.min(...known) : Math.max(...known);
}

/**
 * Endings that mark a surname in many languages (Polish -ski/-wicz, Slavic -ova/-enko, Armenian -ian,
 * Greek -opoulos/-akis, Spanish -ez, Nordic -son/-sen, Georgian -shvili/-dze, Turkish -oğlu, Indian
 * -wala, and those below): a word no dictionary lists that ends so reads as a surname even when no
 * name list has it.
 */
const SURNAME_ENDING = new RegExp(
  "\\p{L}{2}(?:ski|ska|sky|cki|cka|wicz|owski|ewski|ova|ová|eva|enko|chuk|czuk|ian|yan|opoulos|poulos|akis|idis|" +
    "ez|son|sen|sson|shvili|dze|oglu|oğlu|wala|walla|escu|ovic|ović|evic|ević|ich|berg|stein|mann|" +
    // Russian and Bulgarian -ov/-ev, Ukrainian -uk, Icelandic -dóttir, Greek -oulou/-idou, Finnish -nen,
    // Persian -zadeh/-nejad/-pour, South Asian -uddin/-ullah, Japanese -moto/-mura/-yama/-kawa…
    "ov|ev|yev|iev|uk|yuk|iuk|dottir|dóttir|oulou|idou|nen|zadeh|nejad|pour|uddin|ullah|" +
    "moto|mura|yama|kawa|gawa|hara|bayashi|shita|zaki|saki|uchi)$",
  "u",
);
const SHAPED_SURNAME = 0.6;

const NOT_A_NAME: Likeness = { first: -1, surname: -1, wordy: true, english: true };
/** A rare name at most, as an uncommon English word is: it needs a name or a cue beside it. */
const FOREIGN_WORD: Likeness = { first: 0.15, surname: 0.15, wordy: false, english: true };
/** Words seen before, with their likeness: the lexicons are fixed, so a word's answer never changes. */
const seen = new Map<string, Likeness>();
const SEEN_LIMIT = 100_000;

export function likeness(t: Token, lex: Lexicon, excluded: ReadonlySet<string>): Likeness {
  const w = t.lower;
  if (excluded.has(w)) return NOT_A_NAME;
  let known = seen.get(w);
  if (!known) {
    if (seen.size >= SEEN_LIMIT) seen.clear();
    seen.set(w, (known = lookUp(w, lex)));
  }
  return known;
}

/** "O'Sullivan" may be listed as "OSullivan" or only as "Sullivan"; "McAllister" as "Allister". */
function spellings(w: string): string[] {
  const base = /^(?:o['’]|d['’]|mc|mac)(\p{L}{3,})$/u.exec(w)?.[1];
  return base ? [w, w.replace(/['’]/g, ""), base] : [w];
}

const firstFound = (names: Lookup<number>, w: string, every: boolean): number | undefined => {
  for (const spelling of spellings(w)) {
    const found = weight(names, spelling, every);
    if (found !== undefined) return found;
  }
  return undefined;
};

/** What a name's shape adds to a word no list has: up to SHAPE_BONUS, for a shape as name-like as SHAPE_FULL. */
const SHAPE_BONUS = 0.35;
const SHAPE_FULL = 1.2;
// Rounded, so that a full bonus makes the base exactly 0.5 (a bar some readings test for).
const shapeBonus = (w: string): number =>
  Math.round((1000 * SHAPE_BONUS * Math.max(0, Math.min(nameShape(w), SHAPE_FULL))) / SHAPE_FULL) / 1000;

/** "Smart-UPS", "Follow-Up": a hyphenated word with an everyday English part reads as English. */
const englishPart = (w: string, lex: Lexicon): number | undefined => {
  if (!w.includes("-")) return undefined;
  const tiers = w.split("-").map((p) => lex.english.get(p) ?? 99);
  const commonest = Math.min(...tiers);
  return commonest <= 20 ? 50 : undefined;
};

function lookUp(w: string, lex: Lexicon): Likeness {
  if (NEVER.has(w) || w.length < 2) return NOT_A_NAME;
  const tier = lex.english.get(w) ?? englishPart(w, lex);
  const penalty = tier === undefined ? 0 : (WORD_PENALTY[tier] ?? 0);
  const known = lex.known.has(w);
  const firstWeight = firstFound(lex.first, w, true);
  const surnameWeight = firstFound(lex.surname, w, false);
  // An everyday word of another language that no name list has ("gracias", "clínica") is such a word.
  if (tier === undefined && firstWeight === undefined && surnameWeight === undefined && isForeignWord(w)) {
    return FOREIGN_WORD;
  }
  // A word that is neither a name anywhere nor in the dictionary (Tesfaye, Kahale) may be a rare
  // name; an English word that no name list has is never one.
  // Its shape says more of a word no list has than of one seen as a name somewhere ("Ohio" is one);
  // nothing of a double name the lists know a part of ("Fitzgerald-Oyelaran" is a surname, no first name).
  const listedPart = w.includes("-") && w.split("-").some((p) => lex.first.has(p) || lex.surname.has(p));
  const shape = listedPart ? 0 : shapeBonus(w);
  const unknownBase = tier !== undefined ? -1 : known ? 0.35 + shape / 2 : 0.15 + shape;
  const score = (weight: number | undefined) => (weight === undefined ? unknownBase : weight - penalty);
  const surname = score(surnameWeight);
  return {
    first: score(firstWeight),
    surname: tier === undefined && SURNAME_ENDING.test(w) ? Math.max(surname, SHAPED_SURNAME) : surname,
    wordy: tier !== undefined && tier <= 35,
    english: tier !== undefined,
  };
}
