import type { Call, ToolContext, ToolOutcome } from "./types.ts";

/** The largest answer read from an app; more is cut (and said so) rather than held in memory. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function callUrl(base: string, call: Call): string {
  const path = call.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = call.params[name];
    if (value === undefined || String(value) === "") throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query))
    if (value !== undefined && value !== null) query.set(name, String(value));
  const qs = query.toString();
  return `${base}${path}${qs ? `?${qs}` : ""}`;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  const cut = text.length > MAX_BODY_BYTES ? text.slice(0, MAX_BODY_BYTES) : text;
  if ((res.headers.get("content-type") ?? "").includes("json") && cut === text) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return cut === text ? text : `${cut}\n(cut at ${MAX_BODY_BYTES} bytes)`;
}

/**
 * Runs a call against the app's own address from services.json (loopback), with the person's
 * token as Nexus forwarded it: the app applies that person's rights, nothing more. An app that
 * is down or slow is an answer too (503 or 504 with what happened), never a hang.
 */
export async function runCall(call: Call, ctx: ToolContext): Promise<ToolOutcome> {
  const service = ctx.services[call.app];
  if (!service) return { status: 404, body: { error: { message: `There is no app named ${call.app}.` } } };
  const headers: Record<string, string> = {
    authorization: `Bearer ${ctx.token}`,
    accept: "application/json",
    "x-request-id": ctx.requestId,
  };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  try {
    const res = await fetch(callUrl(service.url, call), {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirect: "manual",
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    return { status: res.status, body: await readBody(res), company: companyOf(call) };
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return {
      status: timedOut ? 504 : 503,
      body: {
        error: {
          message: timedOut
            ? `${service.title} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s.`
            : `${service.title} cannot be reached right now (it may be restarting).`,
        },
      },
    };
  }
}

/** The account number a call's path names, if any (`/api/companies/{acct}/…`, `/api/billing/{acct}`). */
function companyOf(call: Call): string | null {
  const acct = call.params.acct;
  return call.app === "codex" && acct !== undefined ? String(acct) : null;
}
