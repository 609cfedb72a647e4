import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Notice } from "@hivematrix/lib/page";
import { HttpError } from "@hivematrix/lib/errors";
import type { FieldIssue } from "@hivematrix/lib/validate";
import { BulkRejected } from "./data-bulk.ts";
import type { NamedFormField } from "./fields.ts";

/** Parses a page's query with an API list schema, ignoring unknown keys; falls back to defaults. */
export function pageQueryOf<S extends z.ZodObject>(
  c: Context<AppEnv>,
  schema: S,
): { data: z.infer<S>; error: string | null } {
  const keys = new Set(Object.keys(schema.shape));
  const raw = Object.fromEntries(
    Object.entries(c.req.query()).filter(([name, value]) => keys.has(name) && value !== ""),
  );
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { data: parsed.data, error: null };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  return { data: schema.parse({}), error: `Ignored an invalid filter: ${problems.join("; ")}` };
}

/** Field → message from a data function's refusal (422 details, a 409 with field details or a bulk row). */
export function fieldErrorsOf(e: unknown): Record<string, string> | null {
  if (e instanceof BulkRejected) {
    const out: Record<string, string> = {};
    for (const r of e.result.results) for (const x of r.errors ?? []) out[x.field] ??= x.message;
    return out;
  }
  if (e instanceof HttpError && (e.status === 422 || e.status === 409) && Array.isArray(e.details)) {
    const out: Record<string, string> = {};
    for (const x of e.details as FieldIssue[]) if (x && typeof x.field === "string") out[x.field] ??= x.message;
    if (Object.keys(out).length) return out;
  }
  if (e instanceof HttpError && e.status === 409) return { form: e.message };
  return null;
}

/** Runs a write for a form: field errors to re-render with, or rethrows anything else. */
export async function attempt<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: Record<string, string> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const errors = fieldErrorsOf(e);
    if (errors) return { ok: false, errors };
    throw e;
  }
}

/** A form's text fields as API input: empty strings dropped (create) or kept as "" (update clears). */
export function formInput(
  raw: Record<string, string>,
  fields: readonly string[],
  o: { keepEmpty?: boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = raw[f];
    if (v === undefined) continue;
    if (v.trim() === "" && !o.keepEmpty) continue;
    out[f] = v;
  }
  return out;
}

/**
 * A form of an entity's field spec as API input: checkboxes as booleans, comma-separated lists
 * as arrays, text as `formInput` keeps it.
 */
export function formToInput(
  raw: Record<string, string>,
  fields: readonly NamedFormField[],
  options: { keepEmpty?: boolean } = {},
): Record<string, unknown> {
  const input: Record<string, unknown> = formInput(
    raw,
    fields.filter((field) => field.type !== "checkbox" && !field.list).map((field) => field.name),
    options,
  );
  for (const field of fields) {
    if (field.type === "checkbox") input[field.name] = raw[field.name] === "on";
    else if (field.list && raw[field.name] !== undefined)
      input[field.name] = raw[field.name]!.split(",")
        .map((item) => item.trim())
        .filter(Boolean);
  }
  return input;
}

/** A record's JSON as a form's values: lists comma-separated, checkboxes "on" or "". */
export function formValuesOf(json: Record<string, unknown>, fields: readonly NamedFormField[]): Record<string, string> {
  return Object.fromEntries(
    fields.map(({ name, type, list }) => {
      const value = json[name];
      if (type === "checkbox") return [name, value ? "on" : ""];
      if (list && Array.isArray(value)) return [name, value.join(", ")];
      return [name, String(value ?? "")];
    }),
  );
}

/** Errors on `companies.0` and the like belong next to the `companies` field. */
export const byField = (errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([field, message]) => [field.split(".")[0]!, message]));

/** A record's page notice: what the last action did (`?notice=` names it), else that a form needs fixing. */
export function pageNotice(
  c: Context<AppEnv>,
  notices: Record<string, string>,
  errors: Record<string, string> = {},
): Notice | null {
  const done = notices[c.req.query("notice") ?? ""];
  if (done) return { variant: "success", text: done };
  return Object.keys(errors).length ? { variant: "error", text: "Check the form below." } : null;
}
