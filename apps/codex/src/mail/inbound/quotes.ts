import { REPLY_MARKER } from "../outbox/render.ts";

/**
 * Where quoted text clearly starts: our own reply marker, a mail client's "On … wrote:" or
 * "-----Original Message-----", or Outlook's "From:" header block under a rule or blank line.
 * Interleaved quotes (answers between quoted lines) are left alone: only a quoted tail goes.
 * Only replies are trimmed: a new ticket's text may be a forwarded email, which is its content.
 */
const ATTRIBUTION = /^\s*(On|Le|Am|El|Il|Op)\s.{1,300}(wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:\s*$/i;
const ORIGINAL = /^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}\s*$/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?From:\*?\s/i;
const HEADER_NEXT = /^\s*\*?(Sent|Date|To|Subject):\*?\s/i;

/** Whether line `at` (or it and the next, as a client wrapped it) is an "On …, X wrote:" line. */
function attribution(lines: string[], at: number): boolean {
  const line = lines[at]!;
  if (ATTRIBUTION.test(line)) return true;
  const next = lines[at + 1];
  return next !== undefined && next.trim() !== "" && ATTRIBUTION.test(`${line} ${next}`);
}

function quoteStart(lines: string[]): number {
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!;
    if (line.includes(REPLY_MARKER)) {
      // The attribution a client writes above our quoted email goes with it.
      for (let above = Math.max(0, at - 3); above < at; above++) if (attribution(lines, above)) return above;
      return at;
    }
    if (attribution(lines, at) || ORIGINAL.test(line)) return at;
    const previous = at > 0 ? lines[at - 1]! : null;
    const ruled = previous !== null && (OUTLOOK_RULE.test(previous) || previous.trim() === "");
    if (ruled && HEADER_FROM.test(line) && lines.slice(at + 1, at + 4).some((next) => HEADER_NEXT.test(next)))
      return OUTLOOK_RULE.test(previous) ? at - 1 : at;
  }
  return -1;
}

/** The new text of a reply: what comes before the quoted email, or the whole text when that would be empty. */
export function trimQuoted(text: string): string {
  const lines = text.split("\n");
  let end = quoteStart(lines);
  if (end === -1) end = lines.length;
  // A trailing block of "> " lines is the quoted email too.
  let last = end;
  while (last > 0 && (lines[last - 1]!.startsWith(">") || lines[last - 1]!.trim() === "")) last--;
  const kept = lines.slice(0, last).join("\n").trim();
  return kept === "" ? text.trim() : kept;
}
