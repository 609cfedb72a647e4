/** Options of filterText and filterData, compiled once per options object. */
import { escapeRegExp } from "./context.ts";
import { PRODUCTS } from "./data/products.ts";

export interface FilterOptions {
  /** Names of the MSP's client companies (from Codex): never people, even "Smith & Jones LLP". */
  companies?: readonly string[];
  /** Product names, in addition to the built-in list: never people. */
  products?: readonly string[];
}

export interface Compiled {
  /** Companies and products as one case-insensitive, whole-word pattern (null when there are none). */
  names: RegExp | null;
  /** Lower-cased single words of those names, which the person detector never takes for a name. */
  words: ReadonlySet<string>;
}

function compile(options: FilterOptions): Compiled {
  const names = [...PRODUCTS, ...(options.products ?? []), ...(options.companies ?? [])]
    .map((n) => n.trim())
    .filter((n) => n.length > 1);
  const words = new Set<string>();
  for (const n of [...PRODUCTS, ...(options.products ?? [])]) {
    // A company's words can be surnames elsewhere ("Smith" of "Smith & Jones LLP"); a product's are not.
    if (!/\s/.test(n)) words.add(n.toLowerCase());
  }
  names.sort((a, b) => b.length - a.length);
  const pattern = names.map(escapeRegExp).join("|");
  return {
    names: pattern ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, "giu") : null,
    words,
  };
}

const cache = new WeakMap<FilterOptions, Compiled>();
const NONE: FilterOptions = {};

export function compiled(options: FilterOptions = NONE): Compiled {
  let c = cache.get(options);
  if (!c) cache.set(options, (c = compile(options)));
  return c;
}
