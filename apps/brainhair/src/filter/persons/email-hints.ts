/**
 * Email addresses name their owners: "hwang@", "brostami@", "jdelarosa@", "selam@". A name whose
 * parts make up an address's local part in the same text is a person's.
 */

const EMAIL_LOCAL = /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]+)@[\p{L}\p{N}-]+\.[\p{L}\p{N}.-]+/gu;
const squash = (s: string): string =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z]/g, "");

export function emailHints(text: string): ReadonlySet<string> {
  const hints = new Set<string>();
  if (!text.includes("@")) return hints;
  for (const m of text.matchAll(EMAIL_LOCAL)) {
    const local = squash(m[1]!);
    if (local.length >= 3) hints.add(local);
  }
  return hints;
}

export function matchesEmail(hints: ReadonlySet<string>, first: string | undefined, surname: string[]): boolean {
  if (hints.size === 0) return false;
  const s = squash(surname.join(""));
  if (s.length < 2) return false;
  const f = first === undefined ? "" : squash(first);
  const forms = f ? [f + s, f[0] + s, s + f, s + f[0], f + s[0], f] : [s];
  for (const h of hints) {
    if (forms.includes(h)) return true;
    // A surname-only mention ("Officer Kahale") and "jkahale@": one initial before the surname.
    if (!f && h.length === s.length + 1 && h.endsWith(s)) return true;
  }
  return false;
}
