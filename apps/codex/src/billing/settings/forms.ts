import { ASSET_BILLING_TYPES } from "../../db/schema.ts";
import { AMOUNT_MESSAGE, CUSTOM_PRICE_MESSAGE, firstIssues, parseHours, parseMoney } from "../form-values.ts";
import { manualAssetCreateSchema, manualUserCreateSchema } from "../manual/json.ts";
import { RATE_INPUTS, type RateKind } from "../rates.ts";

/** The billing settings page's forms as API input, with a message for each field that is not. */

const RATE_MESSAGES: Record<RateKind, string> = {
  money: AMOUNT_MESSAGE,
  minutes: "Hours, like 2 or 1.5.",
  tb: "A whole number of TB.",
};

function rateValue(kind: RateKind, text: string | undefined): number | null {
  if (kind === "money") return parseMoney(text);
  if (kind === "minutes") return parseHours(text);
  return /^\s*\d{1,5}\s*$/.test(text ?? "") ? Number(text!.trim()) : null;
}

/** The rates form as API input: a checked box sets the override, an unchecked one returns to the plan. */
export function ratesFromForm(raw: Record<string, string>): {
  input: Record<string, number | null>;
  errors: Record<string, string>;
} {
  const input: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const [name, , kind] of RATE_INPUTS) {
    if (raw[`${name}_on`] !== "on") {
      input[name] = null;
      continue;
    }
    const value = rateValue(kind, raw[name]);
    if (value === null || value < 0) errors[name] = RATE_MESSAGES[kind];
    else input[name] = value;
  }
  return { input, errors };
}

export interface OverrideChange {
  id: number;
  set: { billing_type: string; custom_cents: number | null } | null;
}

/** A select-plus-price row of the device or user form: the override to store, null to remove it, or an error. */
function overrideFromForm(
  raw: Record<string, string>,
  key: string,
  allowed: readonly string[],
): { set: OverrideChange["set"] } | { error: [string, string] } | null {
  const type = raw[key];
  if (type === undefined) return null;
  if (type === "") return { set: null };
  if (!allowed.includes(type)) return { error: [key, "Choose one of the options."] };
  if (type !== "custom") return { set: { billing_type: type, custom_cents: null } };
  const cents = parseMoney(raw[`${key}_price`]);
  if (cents === null || cents < 0) return { error: [`${key}_price`, CUSTOM_PRICE_MESSAGE] };
  return { set: { billing_type: type, custom_cents: cents } };
}

/**
 * The device or user form as the overrides it changes: each row named `${prefix}${id}` whose
 * choice differs from what is stored, or the errors of the rows that are not valid.
 */
export function overrideChanges(
  raw: Record<string, string>,
  prefix: "asset_" | "user_",
  rows: { id: number; billing_override: OverrideChange["set"] }[],
): { changes: OverrideChange[]; errors: Record<string, string> } {
  const allowed = prefix === "asset_" ? ASSET_BILLING_TYPES : (["free", "custom"] as const);
  const errors: Record<string, string> = {};
  const changes: OverrideChange[] = [];
  for (const row of rows) {
    const choice = overrideFromForm(raw, `${prefix}${row.id}`, allowed);
    if (!choice) continue;
    if ("error" in choice) errors[choice.error[0]] = choice.error[1];
    else if (JSON.stringify(choice.set) !== JSON.stringify(row.billing_override))
      changes.push({ id: row.id, set: choice.set });
  }
  return { changes, errors };
}

/** The two "added by hand" forms: where they post, their fields' prefix and the field naming the item. */
export const MANUAL_FORMS = [
  { kind: "asset", path: "manual-assets", prefix: "ma_", nameField: "hostname", schema: manualAssetCreateSchema },
  { kind: "user", path: "manual-users", prefix: "mu_", nameField: "name", schema: manualUserCreateSchema },
] as const;

/** An "added by hand" form as API input, or its errors under the form's field names. */
export function manualFromForm(form: (typeof MANUAL_FORMS)[number], raw: Record<string, string>) {
  const field = (name: string) => raw[`${form.prefix}${name}`];
  const type = field("billing_type") ?? "";
  const errors: Record<string, string> = {};
  let cents: number | null = null;
  if (type === "custom") {
    cents = parseMoney(field("price"));
    if (cents === null || cents < 0) errors[`${form.prefix}price`] = CUSTOM_PRICE_MESSAGE;
  }
  const parsed = form.schema.safeParse({
    [form.nameField]: field(form.nameField) ?? "",
    billing_type: type,
    custom_cents: cents,
    notes: field("notes") ?? "",
  });
  if (!parsed.success)
    for (const [name, message] of Object.entries(firstIssues(parsed.error)))
      errors[`${form.prefix}${name === "custom_cents" ? "price" : name}`] ??= message;
  return parsed.success && Object.keys(errors).length === 0
    ? ({ ok: true, input: parsed.data } as const)
    : ({ ok: false, errors } as const);
}
