import type { z } from "zod";

/** What billing's forms take as text: amounts, hours, feature choices; and their messages. */

/** "12.50" → 1250; anything but a plain amount with at most two decimals is refused. */
export function parseMoney(text: string | undefined): number | null {
  const match = /^\s*(-?)\$?(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text ?? "");
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? "0").padEnd(2, "0"));
  return match[1] ? -cents : cents;
}

/** "1.5" hours → 90 minutes; at most two decimals. */
export function parseHours(text: string | undefined): number | null {
  const match = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text ?? "");
  if (!match) return null;
  return Math.round((Number(match[1]) + Number(`0.${match[2] ?? "0"}`)) * 60);
}

/** Cents as a form shows them: "25.50"; nothing for none. */
export const dollars = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? "" : (cents / 100).toFixed(2);

export const AMOUNT_MESSAGE = "An amount like 25 or 25.50.";
export const CUSTOM_PRICE_MESSAGE = "A custom price needs an amount like 25 or 25.50.";

/** The `feature_<category>` selects of a form: category key → option value, "" as null (not included). */
export function featureChoices(raw: Record<string, string>): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([name]) => name.startsWith("feature_"))
      .map(([name, value]) => [name.slice("feature_".length), value || null]),
  );
}

/** A schema's refusal as the form shows it: each top-level field's first message. */
export function firstIssues(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}
