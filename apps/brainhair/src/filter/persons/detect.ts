/**
 * Finds people's names: every way a name can be written (First Last, First M. Last, First de Last,
 * Last, First, a title and a surname) is scored by how name-like its words are (likeness.ts) plus
 * the cues around it (context-cues.ts); those that reach the bar become PERSON candidates.
 */
import type { Candidate } from "../candidates.ts";
import type { Compiled } from "../options.ts";
import { tableCells } from "../tables.ts";
import { APPOSITIVE, cueAfter, cueBefore } from "./context-cues.ts";
import { ROLES } from "./cues.ts";
import { emailHints } from "./email-hints.ts";
import { lexicon } from "./lexicon.ts";
import { likeness, PARTICLES, SUFFIXES } from "./likeness.ts";
import { surnameLists } from "./lists.ts";
import { inverted, type Shape } from "./inverted.ts";
import { BAR, score } from "./score.ts";
import { gap, type Token, tokenize } from "./tokens.ts";

const INNER_CAPITAL = /^\p{Lu}\p{Ll}+\p{Lu}\p{Ll}+$/u;

/** The cue of a phrase before a name ("spoke with", "per"), and what a surname alone needs after one. */
const PHRASE_CUE = 0.8;
const STRONG_SURNAME = 0.9;

const nameCase = (t: Token): boolean => t.shape === "cap" || t.shape === "upper" || t.shape === "lower";
const sameCase = (a: Token, b: Token): boolean => a.shape === b.shape;

/** A role noun right before token i ("arrestee", "patient"). */
function roleBefore(text: string, tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return prev !== undefined && ROLES.has(prev.lower) && /^ {1,2}$/.test(text.slice(prev.end, tokens[i]!.start));
}

/** A role set off right after token i, which no other name word follows ("Okafor, the night jailer,"). */
function appositiveAfter(text: string, tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  return (
    next !== undefined &&
    gap(text, tokens[i]!, next) === "comma" &&
    APPOSITIVE.test(text.slice(tokens[i]!.end, tokens[i]!.end + 60))
  );
}

/** Where initials right before token i start ("R. K. Patel"), or -1. */
function initialsBefore(text: string, tokens: Token[], i: number): number {
  let k = i - 1;
  while (k >= 0 && tokens[k]!.shape === "initial" && /^\. ?$/.test(text.slice(tokens[k]!.end, tokens[k + 1]!.start)))
    k--;
  if (k === i - 1) return -1;
  // "U.S. Bank", "J.R.R.": initials glued together are an abbreviation.
  const first = tokens[k + 1]!;
  return k >= 0 && /^[\p{L}.]$/u.test(text[first.start - 1] ?? " ") ? -1 : k + 1;
}

/** "First [M.] [particles] Last [Jr]" forward from token i: each possible end. */
function forward(text: string, tokens: Token[], i: number): Shape[] {
  const out: Shape[] = [];
  const first = tokens[i]!;
  let particleAt = -1;
  for (let j = i + 1; j < tokens.length && j <= i + 4; j++) {
    const t = tokens[j]!;
    if (gap(text, tokens[j - 1]!, t) !== "space") break;
    if (t.shape === "initial") continue;
    if (PARTICLES.has(t.lower) && (t.shape === "lower" || t.shape === "cap" || t.text.length === 1)) {
      if (particleAt < 0) particleAt = j;
      continue;
    }
    if (!sameCase(first, t) || SUFFIXES.has(t.lower)) break;
    const from = particleAt >= 0 ? particleAt : j;
    const surname = Array.from({ length: j - from + 1 }, (_, k) => from + k);
    let end = j;
    const next = tokens[j + 1];
    if (next && SUFFIXES.has(next.lower) && /^,? $/.test(text.slice(t.end, next.start))) end = j + 1;
    out.push({ first: i, surname, end });
    if (particleAt >= 0) break;
  }
  return out;
}

export function persons(text: string, options: Compiled): Candidate[] {
  const tokens = tokenize(text);
  const lex = lexicon();
  const like = tokens.map((t) => likeness(t, lex, options.words));
  // "DeShawn", "LaToya", "MacKenzie": a capital inside a word the name lists hold is a name's
  // ("OnBase", "NetSmart" are no listed names, whatever their shape).
  for (const [i, t] of tokens.entries()) {
    const listed = lex.first.has(t.lower) || lex.surname.has(t.lower);
    if (
      t.shape === "other" &&
      INNER_CAPITAL.test(t.text) &&
      listed &&
      Math.max(like[i]!.first, like[i]!.surname) >= 0.3
    ) {
      tokens[i] = { ...t, shape: "cap" };
    }
  }
  // Whether a word of the same case that could be a name follows token i: then i starts a longer name.
  const nameAfter = (i: number): boolean => {
    const n = tokens[i + 1];
    return !!n && gap(text, tokens[i]!, n) === "space" && sameCase(tokens[i]!, n) && like[i + 1]!.surname > -1;
  };
  const hints = emailHints(text);
  const headers = new Map(tableCells(text).map((c) => [c.start, c.header]));
  const out: Candidate[] = [];
  const pending: Pending[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!nameCase(t) || (like[i]!.first <= -1 && like[i]!.surname <= -1)) continue;
    // "Chief PO Hendricks": a short word in capitals before a capitalised one is a rank, not a name.
    const next = tokens[i + 1];
    if (t.shape === "upper" && t.text.length <= 3 && next?.shape === "cap" && gap(text, t, next) === "space") continue;
    const before = cueBefore(text, tokens, i, headers);
    const initials = initialsBefore(text, tokens, i);
    if (initials >= 0 && !before.title && !before.surnameField) {
      // "J. Hendricks", "R. K. Patel": initials before a surname, as signatures and lists write them.
      const l = like[i]!;
      const cue = before.score + cueAfter(text, t.end, tokens[i + 1]);
      // A surname no dictionary has, shaped like a name, needs no cue after an initial ("A. Okonjo").
      if ((l.surname >= 0.5 && !l.wordy) || (l.surname >= 0.4 && !l.english) || (l.surname >= 0.15 && cue > 0)) {
        out.push({
          type: "PERSON",
          start: tokens[initials]!.start,
          end: t.end,
          score: 40 + 15 * Math.min(l.surname + cue + 0.5, 3.3),
          person: { first: text.slice(tokens[initials]!.start, tokens[i - 1]!.end + 1), surname: t.text },
        });
      }
    }
    const shapes = forward(text, tokens, i);
    if (before.title || before.surnameField) {
      // "da Silva" in a surname field, "Sgt. de la Cruz": the particles and the name after them.
      let end = i;
      while (
        PARTICLES.has(tokens[end]!.lower) &&
        tokens[end + 1] &&
        gap(text, tokens[end]!, tokens[end + 1]!) === "space"
      )
        end++;
      shapes.push({ surname: Array.from({ length: end - i + 1 }, (_, k) => i + k), end });
    } else if (roleBefore(text, tokens, i) && t.shape !== "lower" && like[i]!.surname >= 0.3 && !like[i]!.english) {
      // A role before a surname alone ("arrestee Hendricks", "patient Okafor"): a surname no word is.
      const n = tokens[i + 1];
      if (!n || gap(text, t, n) !== "space" || !sameCase(t, n)) {
        out.push({
          type: "PERSON",
          start: t.start,
          end: t.end,
          score: 40 + 15 * Math.min(like[i]!.surname + 0.6, 3.3),
          person: { surname: t.text },
        });
      }
    } else if (before.score >= PHRASE_CUE && like[i]!.surname >= STRONG_SURNAME && !like[i]!.english && !nameAfter(i)) {
      // "per Dominguez", "ask vu about", "spoke with Kowalski": a surname the lists know well, after a phrase.
      out.push({
        type: "PERSON",
        start: t.start,
        end: t.end,
        score: 40 + 15 * Math.min(like[i]!.surname + before.score, 3.3),
        person: { surname: t.text },
      });
    } else if (t.shape === "cap" && like[i]!.surname >= 0.3 && !like[i]!.english && appositiveAfter(text, tokens, i)) {
      // "Tkachenko, the night jailer, says": a surname alone, set off by the role after it.
      out.push({
        type: "PERSON",
        start: t.start,
        end: t.end,
        score: 40 + 15 * Math.min(like[i]!.surname + 0.6, 3.3),
        person: { surname: t.text },
      });
    }
    shapes.push(...inverted(text, tokens, i));
    for (const shape of shapes) {
      const scored = score(text, tokens, like, shape, before.score, hints);
      if (!scored) continue;
      // After a title, two names are first name and surname ("Cpl. Hyun-woo Park"), not a surname
      // and a stray word; when the first is no known first name, both are kept from the model.
      const titledPair = before.title && !before.surnameField && shape.first === i;
      if (titledPair) scored.total += 0.6;
      let candidate = toCandidate(tokens, shape, i, scored.total);
      if (titledPair && like[i]!.first < 0.3) {
        candidate = { ...candidate, person: { surname: text.slice(candidate.start, candidate.end) } };
      }
      if (scored.passes) out.push(candidate);
      else if (
        scored.total >= BAR - COORDINATION &&
        (t.shape === "cap" || !shape.surname.some((k) => like[k]!.wordy))
      ) {
        // Everyday words in lower case ("will grant") are never carried by a neighbour.
        const words = [shape.first ?? shape.surname[0]!, ...shape.surname];
        pending.push({ candidate, total: scored.total, plain: words.every((k) => !like[k]!.english) });
      }
    }
  }
  return [...out, ...coordinated(text, out, pending), ...surnameLists(text, tokens, like)];
}

/** A name beside another one ("D'Andre Wilson and Takeshi Ono") needs less: the list says what it is. */
const COORDINATION = 0.5;
/** What each of two names that only each other carry needs. */
const PAIR_TOTAL = 0.7;

interface Pending {
  candidate: Candidate;
  total: number;
  /** No word of it is an English word. */
  plain: boolean;
}
const COORDINATOR = /^\s*(?:,|;|&|and|or|,\s*and)\s*$/i;

function coordinated(text: string, accepted: Candidate[], pending: Pending[]) {
  // Two names neither of which passes alone, each of words no English word is, joined by "and":
  // "Kiri Waititi and Saoirse Breathnach" is a list of people.
  const pairable = pending.filter((p) => p.plain && p.total >= PAIR_TOTAL && p.candidate.person?.first !== undefined);
  const ends = new Set([...accepted, ...pairable.map((p) => p.candidate)].map((a) => a.end));
  const starts = new Set([...accepted, ...pairable.map((p) => p.candidate)].map((a) => a.start));
  const acceptedEnds = new Set(accepted.map((a) => a.end));
  const acceptedStarts = new Set(accepted.map((a) => a.start));
  // Whether a name ends (starts) within a few characters before (after) `at`, only a coordinator between.
  const near = (at: number, step: -1 | 1, names: Set<number>) => {
    for (let k = 1; k <= 7; k++) {
      const other = at + step * k;
      const between = step < 0 ? text.slice(other, at) : text.slice(at, other);
      if (names.has(other) && COORDINATOR.test(between)) return true;
    }
    return false;
  };
  const out: Candidate[] = [];
  for (const p of pending) {
    const { candidate, total } = p;
    const [before, after] = pairable.includes(p) ? [ends, starts] : [acceptedEnds, acceptedStarts];
    if (near(candidate.start, -1, before) || near(candidate.end, 1, after)) {
      out.push({ ...candidate, score: 40 + 15 * Math.min(total + COORDINATION, 3.3) });
    }
  }
  return out;
}

function toCandidate(tokens: Token[], shape: Shape, i: number, total: number): Candidate {
  const endTok = tokens[shape.end]!;
  const surname = shape.surname.map((k) => tokens[k]!.text).join(" ");
  const first = shape.first === undefined ? undefined : tokens[shape.first]!.text;
  return {
    type: "PERSON",
    start: tokens[Math.min(shape.first ?? i, shape.surname[0]!)]!.start,
    end: endTok.end + (endTok.shape === "initial" || (SUFFIXES.has(endTok.lower) && endTok.dot) ? 1 : 0),
    score: 40 + 15 * Math.min(total, 3.3),
    person: first === undefined ? { surname } : { first, surname },
  };
}
