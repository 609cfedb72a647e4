import type { Context } from "hono";
import type { z } from "zod";
import { HttpError, validationFailed } from "./errors.tsx";

export interface FieldIssue {
  field: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(body)", message: i.message }));
}

/** Field name → first message, for re-rendering a form next to its fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, message } of issuesOf(error)) out[field] ??= message;
  return out;
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message = "The request is invalid.",
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(issuesOf(parsed.error), message);
  return parsed.data;
}

const NUL_MESSAGE = "Text may not contain NUL characters.";

/** The path of the first string (or key) in `value` holding a NUL character, or null. */
function nulAt(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "(body)" : null;
  if (!value) return null;
  // Stryker disable next-line ConditionalExpression: a number's or boolean's Object.entries is empty anyway
  if (typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("\u0000")) return [...path, k].join(".");
    const found = nulAt(v, [...path, k]);
    if (found !== null) return found;
  }
  return null;
}

/** Reads a JSON body: another media type → 415, not JSON → 400, a NUL character in any text → 422 naming it. */
export async function readJson(c: Context): Promise<unknown> {
  // Stryker disable next-line StringLiteral: no content type is refused whatever stands in for it
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  let text: string;
  let raw: unknown;
  try {
    text = await c.req.text();
    raw = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
  }
  // Only a body that spells out \u0000 can hold one, so most bodies are never walked.
  // Stryker disable next-line StringLiteral: walking every body finds the same NULs; the test only saves the walk
  const nul = text.includes("\\u0000") ? nulAt(raw) : null;
  if (nul !== null) throw validationFailed([{ field: nul, message: NUL_MESSAGE }]);
  return raw;
}

/** Parses a JSON body: not JSON → 400, wrong shape (or a NUL character in any text) → 422 with field details. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readJson(c));
}

/** Parses the query string (single values; repeated keys keep the last). */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query(), "The query is invalid.");
}

/** A form's text fields (the CSRF token aside), and the first field holding a NUL character. */
async function readForm(c: Context): Promise<{ raw: Record<string, string>; nul: string | undefined }> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(await c.req.parseBody())) if (typeof v === "string" && k !== "_csrf") raw[k] = v;
  return { raw, nul: Object.keys(raw).find((k) => raw[k]!.includes("\u0000") || k.includes("\u0000")) };
}

/**
 * A form's text fields, for pages that check them field by field themselves; a NUL character,
 * which no field takes, is refused here (422 naming the field).
 */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const { raw, nul } = await readForm(c);
  if (nul !== undefined)
    throw validationFailed(
      [{ field: nul, message: NUL_MESSAGE }],
      `The field "${nul}" contains a NUL character, which no field takes.`,
    );
  return raw;
}

/** Parses an urlencoded or multipart form; returns either the data or field errors to re-render. */
export async function formBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<
  | { ok: true; data: z.infer<S>; raw: Record<string, string> }
  | { ok: false; errors: Record<string, string>; raw: Record<string, string> }
> {
  const { raw, nul } = await readForm(c);
  if (nul !== undefined) return { ok: false, errors: { [nul]: NUL_MESSAGE }, raw };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, raw };
  return { ok: false, errors: fieldErrors(parsed.error), raw };
}
