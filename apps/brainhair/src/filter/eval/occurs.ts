/**
 * The data README's comparison rule: a value "occurs" in a text when, after NFKC normalisation,
 * lower-casing and collapsing runs of whitespace, it is found there other than inside a longer
 * word or number ("Li" does not occur in "client").
 */

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

export function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ");
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/** True when `value` is found in `text` under the README's rule. */
export function occurs(text: string, value: string): boolean {
  const hay = normalize(text);
  const needle = normalize(value).trim();
  if (needle === "") return false;
  // A value that starts (ends) with punctuation cannot be "inside a longer word" on that side.
  const checkStart = isWordChar(needle[0]);
  const checkEnd = isWordChar(needle[needle.length - 1]);
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
    const before = hay[at - 1];
    const after = hay[at + needle.length];
    if (checkStart && isWordChar(before)) continue;
    if (checkEnd && isWordChar(after)) continue;
    return true;
  }
  return false;
}
