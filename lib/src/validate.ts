import type { Context } from "hono";
import { z } from "zod";
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

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, message = "The request is invalid."): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(issuesOf(parsed.error), message);
  return parsed.data;
}

/** Parses a JSON body: not JSON → 400, wrong shape → 422 with field details. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
  }
  return parseWith(schema, raw);
}

/** Parses the query string (single values; repeated keys keep the last). */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query(), "The query is invalid.");
}

/** Parses an urlencoded or multipart form; returns either the data or field errors to re-render. */
export async function formBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<{ ok: true; data: z.infer<S>; raw: Record<string, string> } | { ok: false; errors: Record<string, string>; raw: Record<string, string> }> {
  const raw: Record<string, string> = {};
  const body = await c.req.parseBody();
  for (const [k, v] of Object.entries(body)) if (typeof v === "string" && k !== "_csrf") raw[k] = v;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, raw };
  return { ok: false, errors: fieldErrors(parsed.error), raw };
}
