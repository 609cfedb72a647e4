/** Options of filterText and filterData, compiled once per options object. */
import { NAMED_AFTER_PEOPLE, PRODUCTS } from "./data/products.ts";

export interface FilterOptions {
  /** Names of the MSP's client companies (from Codex): never people, even "Smith & Jones LLP". */
  companies?: readonly string[];
  /** Product names, in addition to the built-in list: never people. */
  products?: readonly string[];
}

/** A name to find in texts, keyed by its first word so that a text is scanned once, not once per name. */
interface Phrase {
  lower: string;
  words: number;
}

export interface Compiled {
  /** Companies and products by the lower-cased first word of their name, longest first. */
  byFirstWord: ReadonlyMap<string, Phrase[]>;
  /** Lower-cased single words of product names, which the person detector never takes for a name. */
  words: ReadonlySet<string>;
}

export const NAME_WORD = /[\p{L}\p{N}][\p{L}\p{N}&.+'’-]*/gu;

function compile(options: FilterOptions): Compiled {
  const byFirstWord = new Map<string, Phrase[]>();
  const words = new Set<string>();
  const products = [...PRODUCTS, ...(options.products ?? [])];
  for (const name of [...products, ...NAMED_AFTER_PEOPLE, ...(options.companies ?? [])]) {
    const parts = name.trim().toLowerCase().match(NAME_WORD);
    if (!parts || name.trim().length < 2) continue;
    const list = byFirstWord.get(parts[0]!) ?? [];
    list.push({ lower: name.trim().toLowerCase(), words: parts.length });
    byFirstWord.set(parts[0]!, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.lower.length - a.lower.length);
  // A company's words can be surnames elsewhere ("Smith" of "Smith & Jones LLP"); a product's are not.
  for (const p of products) if (!/\s/.test(p.trim())) words.add(p.trim().toLowerCase());
  return { byFirstWord, words };
}

const cache = new WeakMap<FilterOptions, Compiled>();
const NONE: FilterOptions = {};

export function compiled(options: FilterOptions = NONE): Compiled {
  let c = cache.get(options);
  if (!c) cache.set(options, (c = compile(options)));
  return c;
}
