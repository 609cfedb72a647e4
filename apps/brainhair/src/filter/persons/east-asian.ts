/**
 * Chinese and Korean names written family name first before a two-syllable given name joined by a
 * hyphen, in any one case: "Chen Wei-Ling", "chen wei-ling", "KIM JI-HOON". Read forward, the given
 * name would be taken for the surname and the family name kept.
 */
import type { Candidate } from "../candidates.ts";
import { lexicon } from "./lexicon.ts";

// biome-ignore format: a word list reads better packed
const FAMILY = new Set([
  "chen", "wang", "li", "zhang", "liu", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo",
  "he", "lin", "luo", "gao", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng",
  "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren",
  "shen", "yao", "jin", "lai", "tan", "chan", "cheung", "wong", "leung", "lau", "ng", "chow", "kwok", "ho", "lam",
  "kim", "lee", "park", "choi", "jung", "jeong", "kang", "cho", "yoon", "jang", "lim", "shin", "oh", "seo", "kwon",
  "hwang", "ahn", "yoo", "hong", "jeon", "ko", "moon", "son", "bae", "baek", "heo", "nam", "noh", "ha", "kwak",
  "sung", "cha", "joo", "woo", "min", "ryu", "chae", "won", "bang", "tsai", "hsu", "chang", "chiu", "kuo", "yeh",
]);
/** One syllable of pinyin or romanised Korean: "ji", "hoon", "wei", "ling", "xiao", "yeon". */
// Both cases spelt out: the i flag with u is many times slower.
const SYLLABLE = "[bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ]{0,3}[aeiouyAEIOUY]{1,3}(?:ng|NG|[nrmkplNRMKPL])?";
const NAME = new RegExp(`(?<![\\p{L}\\p{N}])(\\p{L}+) (${SYLLABLE}-${SYLLABLE})(?![\\p{L}\\p{N}-])`, "gu");
/** Prefixes English joins with a hyphen ("he re-ran it", "so he co-signed"): no given name starts so. */
const PREFIXES = new Set(["re", "co", "pre", "de", "un", "non", "ex", "e", "wi", "mid", "sub", "bi", "tri", "semi"]);
const oneCase = (a: string, b: string): boolean =>
  (a === a.toLowerCase() && b === b.toLowerCase()) ||
  (a === a.toUpperCase() && b === b.toUpperCase()) ||
  (/^\p{Lu}\p{Ll}+$/u.test(a) && /^\p{Lu}\p{Ll}*-\p{L}\p{Ll}*$/u.test(b));

export function eastAsianFamilyFirst(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!text.includes("-")) return out;
  for (const m of text.matchAll(NAME)) {
    const [, family, given] = m as unknown as [string, string, string];
    const lower = family.toLowerCase();
    if (!FAMILY.has(lower) || !oneCase(family, given) || PREFIXES.has(given.split("-")[0]!.toLowerCase())) continue;
    // In lower-case chat a family name that is also an English word ("he", "song") is that word.
    if (family === lower && lexicon().english.has(lower)) continue;
    out.push({
      type: "PERSON",
      start: m.index,
      end: m.index + m[0].length,
      score: 80,
      person: { first: given, surname: family },
    });
  }
  return out;
}
