import { HttpError, notFound } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import { CompanyDirectory } from "../tools/company-levels.ts";
import type { NewChat } from "./data.ts";

/**
 * What a chat opened from Codex is about: the ticket's or company's account number and its
 * compliance level, read with the person's own token, so nobody opens a chat about a record
 * they may not see.
 */
export async function resolveContext(
  deps: Deps,
  about: { ticket?: string; company?: string; token: string; requestId: string },
): Promise<NewChat["context"]> {
  if (!about.ticket && !about.company) return null;
  const codex = deps.config.services.codex;
  if (!codex) throw new HttpError(503, "codex_unavailable", "Codex is not registered in services.json.");
  const path = about.ticket
    ? `/api/tickets/${encodeURIComponent(about.ticket)}`
    : `/api/companies/${encodeURIComponent(about.company!)}`;
  let res: Response;
  try {
    res = await fetch(codex.url + path, {
      headers: { authorization: `Bearer ${about.token}`, accept: "application/json", "x-request-id": about.requestId },
      signal: AbortSignal.timeout(deps.settings.toolTimeoutMs),
    });
  } catch {
    throw new HttpError(503, "codex_unavailable", "Codex cannot be reached right now; try again in a moment.", null, {
      "Retry-After": "5",
    });
  }
  if (res.status === 404 || res.status === 403) {
    await res.body?.cancel();
    throw notFound(
      about.ticket
        ? `There is no ticket ${about.ticket} that you may see.`
        : `There is no company ${about.company} that you may see.`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpError(503, "codex_unavailable", `Codex answered ${res.status}; try again in a moment.`);
  }
  const record = (await res.json()) as { company?: string; account_number?: string; compliance_level?: string };
  const account = about.ticket ? (record.company ?? null) : (record.account_number ?? about.company!);
  const directory = new CompanyDirectory(
    deps.config.services,
    about.token,
    about.requestId,
    deps.settings.toolTimeoutMs,
  );
  return {
    kind: about.ticket ? "ticket" : "company",
    ref: (about.ticket ?? about.company)!,
    company: account,
    level: await directory.level(account),
  };
}
