import { AMOUNT_MESSAGE, dollars, parseMoney } from "../form-values.ts";
import { RATE_INPUTS } from "../rates.ts";
import { type PlanInput, type PlanJson, type PlansFile, plansFileSchema } from "./json.ts";

/** The plan form and the plans file upload, as the API's input. */

/** The plan form's values as API input, with messages for fields that are not amounts. */
export function planInput(raw: Record<string, string>): { input: PlanInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = {
    name: raw.name,
    term: raw.term,
    ...(raw.support_level?.trim() ? { support_level: raw.support_level } : {}),
  };
  for (const [name, , kind] of RATE_INPUTS) {
    const text = raw[name] ?? "";
    if (kind === "money") {
      const cents = parseMoney(text);
      if (cents === null || cents < 0) errors[name] = AMOUNT_MESSAGE;
      else input[name] = cents;
    } else if (/^\d+$/.test(text.trim())) input[name] = Number(text.trim());
    else errors[name] = "A whole number.";
  }
  // The API's checks (name, term, bounds) run when the plan is written.
  return { input: input as PlanInput, errors };
}

/** A stored plan as the form shows it: amounts in dollars, features as `feature_<category>`. */
export function planFormValues(plan: PlanJson): Record<string, string> {
  const values: Record<string, string> = { name: plan.name, term: plan.term, support_level: plan.support_level };
  for (const [name, , kind] of RATE_INPUTS) values[name] = kind === "money" ? dollars(plan[name]) : String(plan[name]);
  for (const [key, value] of Object.entries(plan.features)) values[`feature_${key}`] = value;
  return values;
}

export type ImportProblem = { field: string; message: string };

/** An uploaded plans file, read and checked against the file format; or why it cannot be imported. */
export async function readPlansFile(
  file: unknown,
): Promise<{ ok: true; file: PlansFile } | { ok: false; error: string; problems: ImportProblem[] }> {
  if (!(file instanceof File) || file.size === 0)
    return { ok: false, error: "Choose a plans file (JSON).", problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    return { ok: false, error: "This file is not JSON.", problems: [] };
  }
  const parsed = plansFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data };
  return {
    ok: false,
    error: "The file has problems; nothing was imported.",
    problems: parsed.error.issues
      .slice(0, 50)
      .map((issue) => ({ field: issue.path.join("."), message: issue.message })),
  };
}
