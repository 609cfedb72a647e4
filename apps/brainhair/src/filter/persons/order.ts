/**
 * Names whose position, not their words, says they are people:
 * - case captions: the party after "v." ("State v. Caldwell-Nakamura", "People v. Rosalind
 *   Achebe-Ward"), and before it when the other side is a person too ("Okafor v. Lindqvist");
 * - family name first: Vietnamese names (a family name, a middle name such as Văn or Thị, a given
 *   name: "Lê Văn Thành", "Nguyen Thi Lan"), and a family name in capitals before a given name in
 *   ordinary case ("PARK Ji-hoon", "TANAKA Yui"), as passports and East Asian usage write them.
 */
import type { Candidate } from "../candidates.ts";
import type { Compiled } from "../options.ts";
import { lexicon } from "./lexicon.ts";
import { likeness } from "./likeness.ts";
import type { Token } from "./tokens.ts";

const NAME = "\\p{Lu}[\\p{Ll}\\p{M}'’]*(?:-\\p{Lu}?[\\p{Ll}\\p{M}'’]+)*";
const PARTY = `(${NAME}(?:[ ]${NAME}){0,3})`;
const CAPTION = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(State|People|Commonwealth|United States|U\\.S\\.|City|County|Town|Village|Township)|` +
    `${PARTY})` +
    `(?: of [\\p{Lu}][\\p{L}]+)?\\s+v(?:s)?\\.?\\s+${PARTY}`,
  "gu",
);
/** A party whose name says it is an organisation or a government. */
const NOT_PERSON = new RegExp(
  "\\b(?:Inc|LLC|LLP|Corp|Co|Company|Bank|County|City|State|Department|Board|District|Insurance|Group|" +
    "Holdings|Hospital|Clinic|Trust|University|Association)\\b",
  "",
);

function party(value: string, start: number): Candidate | null {
  if (NOT_PERSON.test(value)) return null;
  const words = value.split(" ");
  const surname = words.length > 1 ? words.slice(1).join(" ") : words[0]!;
  return {
    type: "PERSON",
    start,
    end: start + value.length,
    score: 70,
    person: words.length > 1 ? { first: words[0]!, surname } : { surname },
  };
}

export function captions(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!/\sv(?:s)?\.?\s/.test(text)) return out;
  for (const m of text.matchAll(CAPTION)) {
    const after = m[3]!;
    const afterStart = m.index + m[0].length - after.length;
    const second = party(after, afterStart);
    if (second) out.push(second);
    if (m[2] && second) {
      const first = party(m[2], m.index);
      if (first) out.push(first);
    }
  }
  return out;
}

// biome-ignore format: a word list reads better packed
const VN_FAMILY = new Set([
  "nguyễn", "nguyen", "trần", "tran", "lê", "le", "phạm", "pham", "hoàng", "hoang", "huỳnh", "huynh", "phan",
  "vũ", "vu", "võ", "vo", "đặng", "dang", "bùi", "bui", "đỗ", "do", "hồ", "ho", "ngô", "ngo", "dương", "duong",
  "lý", "ly", "đinh", "dinh", "trương", "truong", "lâm", "lam", "mai", "đoàn", "doan", "cao", "lương", "luong",
  "tạ", "ta", "hà", "ha", "châu", "chau", "quách", "quach", "tô", "to", "lưu", "luu", "kiều", "kieu", "thái",
  "thai", "đào", "dao", "trịnh", "trinh", "văn", "van", "la", "tăng", "tang", "triệu", "trieu",
]);
// biome-ignore format: a word list reads better packed
const VN_MIDDLE = new Set([
  "văn", "van", "thị", "thi", "đức", "duc", "hữu", "huu", "ngọc", "ngoc", "đình", "dinh", "quốc", "quoc",
  "công", "cong", "xuân", "xuan", "minh", "thanh", "gia", "bảo", "bao", "kim", "thu", "anh", "quang", "hoàng",
  "hoang", "tuấn", "tuan", "như", "nhu", "mỹ", "my", "phương", "phuong", "bích", "bich", "hồng", "hong",
]);

const VN_MARKERS = new Set(["thị", "thi", "văn", "van"]);

const WORD = /\p{L}[\p{L}\p{M}'’-]*/gu;

/**
 * A given name: a first name in the lists, or seen as a name somewhere ("Yui", "Ji-hoon"); never a
 * word the detector never takes ("Dec").
 */
function givenName(w: string, excluded: ReadonlySet<string>): boolean {
  const lex = lexicon();
  if (likeness({ lower: w } as Token, lex, excluded).first <= -1) return false;
  const head = w.split("-")[0]!;
  return (lex.first.get(w) ?? lex.first.get(head) ?? 0) >= 0.3 || lex.known.has(w) || lex.known.has(head);
}

/**
 * Cheap tests for whether either order can be in the text at all: a middle name (in lower case,
 * capitalised or in capitals, spelt out rather than matched case-insensitively, which with the u
 * flag is ten times slower), or capitals before a capital.
 */
const MIDDLE_FORMS = [...VN_MIDDLE].flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]);
const VN_HINT = new RegExp(`(?<![\\p{L}])(?:${MIDDLE_FORMS.join("|")})(?![\\p{L}])`, "u");
const CAPS_HINT = /\p{Lu}{2} \p{Lu}[\p{Ll}\p{M}]/u;

export function familyFirst(text: string, options: Compiled): Candidate[] {
  const out: Candidate[] = [];
  if (!CAPS_HINT.test(text) && !VN_HINT.test(text)) return out;
  const words = [...text.matchAll(WORD)];
  const lex = lexicon();
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i]!;
    const b = words[i + 1]!;
    if (text.slice(a.index + a[0].length, b.index) !== " ") continue;
    const aLower = a[0].toLowerCase();
    const isCap = (w: string) => /^\p{Lu}[\p{Ll}\p{M}]/u.test(w);
    // Vietnamese: family, middle, given, all capitalised (or all in capitals).
    const c = words[i + 2];
    if (
      c &&
      VN_FAMILY.has(aLower) &&
      VN_MIDDLE.has(b[0].toLowerCase()) &&
      text.slice(b.index + b[0].length, c.index) === " " &&
      ((isCap(a[0]) && isCap(b[0]) && isCap(c[0])) || (a[0] === a[0].toUpperCase() && c[0] === c[0].toUpperCase()))
    ) {
      const end = c.index + c[0].length;
      // Thị and Văn mark the order beyond doubt, over a forward reading after a cue ("approved by Tran Thi Mai").
      const score = VN_MARKERS.has(b[0].toLowerCase()) ? 90 : 72;
      out.push({ type: "PERSON", start: a.index, end, score, person: { first: c[0], surname: a[0] } });
      i += 2;
      continue;
    }
    // A surname in capitals before a given name in ordinary case, in a text that is not all capitals.
    if (
      a[0].length >= 2 &&
      a[0] === a[0].toUpperCase() &&
      /\p{Lu}/u.test(a[0]) &&
      isCap(b[0]) &&
      (lex.surname.get(aLower) ?? 0) >= 0.5 &&
      givenName(b[0].toLowerCase(), options.words) &&
      likeness({ lower: aLower } as Token, lex, options.words).surname > -1 &&
      (lex.english.get(aLower) ?? 99) > 35 &&
      !lex.english.has(b[0].toLowerCase())
    ) {
      out.push({
        type: "PERSON",
        start: a.index,
        end: b.index + b[0].length,
        score: 64,
        person: { first: b[0], surname: a[0] },
      });
    }
  }
  return out;
}
