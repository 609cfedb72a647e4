/**
 * Lists of surnames alone: after a plural title ("Deputies Halvorsen, Abernathy-Cho and Mbeki",
 * "Drs. Patel and Shah"), or three or more surnames the lists know well, none an English word or a
 * place ("Kowalski, Thibodeaux and Nakagawa covered the consoles"), which would otherwise read as
 * "Last, First" and a stray word.
 */
import type { Candidate } from "../candidates.ts";
import { isKnownPlace } from "../recognizers/places.ts";
import type { Likeness } from "./likeness.ts";
import type { Token } from "./tokens.ts";

const PLURAL_TITLES = new Set(
  `drs doctors deputies officers ofcs sgts sergeants detectives dets troopers nurses judges agents attorneys
  messrs lieutenants corporals captains inspectors dispatchers clerks patients techs technicians`.split(/\s+/),
);
const BETWEEN_ITEMS = /^(?:, ?|,? (?:and|&) )$/;
const AFTER_TITLE = /^\.? {1,2}$/;
/** What each word of an untitled list needs: a surname the lists know well. */
const LISTED_SURNAME = 0.5;
const LIST_SCORE = 85;

/** The tokens of a list of single words in one case starting at token i, joined by commas and "and". */
function items(text: string, tokens: Token[], i: number): number[] {
  const out = [i];
  for (let k = i + 1; k < tokens.length; k++) {
    // "and" is a token of its own: the next item is the word after it.
    if (tokens[k]!.lower === "and") k++;
    const item = tokens[k];
    if (!item || !BETWEEN_ITEMS.test(text.slice(tokens[out.at(-1)!]!.end, item.start))) break;
    if (item.shape !== tokens[i]!.shape) break;
    out.push(k);
  }
  // A list item is one word: "Ana Ruiz, Bo Lee" are names read forward, not surnames.
  const next = tokens[out.at(-1)! + 1];
  if (next && next.shape === tokens[i]!.shape && /^ {1,2}$/.test(text.slice(tokens[out.at(-1)!]!.end, next.start))) {
    out.pop();
  }
  return out;
}

export function surnameLists(text: string, tokens: Token[], like: Likeness[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.shape !== "cap" && t.shape !== "upper") continue;
    const prev = tokens[i - 1];
    const titled =
      prev !== undefined && PLURAL_TITLES.has(prev.lower) && AFTER_TITLE.test(text.slice(prev.end, t.start));
    if (!titled && prev && out.length > 0 && out.at(-1)!.end === prev.end) continue;
    // Most words start no list: a comma or "and" must follow (a title may stand before one item).
    if (!titled && text[t.end] !== "," && !text.startsWith(" and ", t.end) && !text.startsWith(" & ", t.end)) continue;
    const list = items(text, tokens, i);
    // Many surnames are also a town somewhere ("Martinez"): a list mostly of places is of places.
    const places = () => list.filter((k) => isKnownPlace(tokens[k]!.text)).length;
    const surnames = titled
      ? list.filter((k) => like[k]!.surname > -1)
      : list.length >= 3 &&
          places() * 2 < list.length &&
          list.every((k) => {
            const l = like[k]!;
            return !l.english && l.surname >= LISTED_SURNAME && l.surname >= l.first;
          })
        ? list
        : [];
    for (const k of surnames) {
      const word = tokens[k]!;
      out.push({ type: "PERSON", start: word.start, end: word.end, score: LIST_SCORE, person: { surname: word.text } });
    }
    if (surnames.length > 0) i = list.at(-1)!;
  }
  return out;
}
