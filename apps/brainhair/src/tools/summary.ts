import { callUrl } from "./http.ts";
import type { Call, ToolContext } from "./types.ts";

/** What an approval card shows: what will happen, to what, and each field's old → new value. */
export interface ApprovalSummary {
  title: string;
  /** The record it changes, by its name as the app shows it (a ticket's subject, a company's name). */
  target: string | null;
  company: string | null;
  request: string;
  lines: { field: string; old: string | null; new: string }[];
}

const SHOWN = 2000;

function show(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
}

/** The record the call changes, read first with the person's token (a GET changes nothing). */
async function readBefore(call: Call, ctx: ToolContext): Promise<Record<string, unknown> | null> {
  const service = ctx.services[call.app];
  if (!service) return null;
  const parent = call.path.replace(/\/[^/]+$/, "");
  const paths = call.method === "POST" ? [parent] : [call.path, parent];
  for (const path of paths) {
    if (!path.startsWith("/api/")) continue;
    try {
      const res = await fetch(callUrl(service.url, { ...call, path, query: {} }), {
        headers: { authorization: `Bearer ${ctx.token}`, accept: "application/json", "x-request-id": ctx.requestId },
        signal: AbortSignal.timeout(ctx.timeoutMs),
      });
      if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) {
        await res.body?.cancel();
        continue;
      }
      const body = (await res.json()) as unknown;
      if (body && typeof body === "object" && !Array.isArray(body)) return unwrap(body as Record<string, unknown>);
    } catch {
      // No summary of the old values; the card still shows the new ones.
    }
  }
  return null;
}

/** `{user: {...}}` → the user: apps often wrap one record in its name. */
function unwrap(body: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(body);
  const only = keys.length === 1 ? body[keys[0]!] : null;
  return only && typeof only === "object" && !Array.isArray(only) ? (only as Record<string, unknown>) : body;
}

const nameOf = (record: Record<string, unknown> | null) =>
  (["subject", "name", "hostname", "username", "title"]
    .map((key) => record?.[key])
    .find((value) => typeof value === "string") as string | undefined) ?? null;

/** The card for a write: its old values read where the app can show them, its new ones from the call. */
export async function summarize(
  toolName: string,
  description: string,
  call: Call,
  ctx: ToolContext,
): Promise<ApprovalSummary> {
  const before = await readBefore(call, ctx);
  const body = call.body;
  const fields = body && typeof body === "object" && !Array.isArray(body) ? Object.entries(body) : [];
  const sameRecord = call.method !== "POST";
  const lines = fields.map(([field, value]) => ({
    field,
    old: sameRecord && before && field in before ? show(before[field]) : null,
    new: show(value),
  }));
  if (call.method === "DELETE")
    lines.push({ field: "(record)", old: show(nameOf(before) ?? "this record"), new: "deleted" });
  if (fields.length === 0 && body !== undefined && call.method !== "DELETE")
    lines.push({ field: "(body)", old: null, new: show(body) });
  const company = [before?.company, before?.account_number, call.params.acct].find(
    (value) => typeof value === "string",
  );
  const filled = callUrl("", call);
  return {
    title: `${toolName}: ${description.replace(/\s*\(waits for[^)]*\)\.?/, "").trim()}`,
    target: nameOf(before),
    company: (company as string | undefined) ?? null,
    request: `${call.app} ${call.method} ${filled}`,
    lines,
  };
}
