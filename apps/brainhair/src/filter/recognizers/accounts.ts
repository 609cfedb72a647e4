/**
 * A bare account number right after a person's name ("Abdirahman Farah, acct 3300918452", "Lin Wu
 * (account 4400918)"): where the filter removes people, a person's account is theirs, a patient's
 * account at a clinic; a vendor's or a tenant's account is written with no name before it.
 */
import type { Candidate } from "../candidates.ts";

const ACCOUNT = /^\s*[,(]?\s*(?:acct|account)\.?\s*(?:#|no\.?|number)?\s*:?\s*(\d[\d-]{3,}\d)(?![\p{L}\p{N}])/iu;

export function accountsBesidePeople(text: string, people: { end: number }[]): Candidate[] {
  const out: Candidate[] = [];
  for (const person of people) {
    const m = ACCOUNT.exec(text.slice(person.end, person.end + 40));
    if (!m) continue;
    const end = person.end + m[0].length;
    out.push({ type: "MEDICAL_RECORD_NUMBER", start: end - m[1]!.length, end, score: 60 });
  }
  return out;
}
