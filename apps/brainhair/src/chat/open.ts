import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import { filterModule } from "../filter/lazy.ts";
import { CompanyDirectory } from "../tools/company-levels.ts";
import { resolveContext } from "./context.ts";
import { createChat } from "./data.ts";

const TITLE_CHARS = 60;

/** A first message's first line, shortened: the automatic title (the model may give a better one). */
function titleFrom(text: string | undefined, fallback: string): string {
  const line =
    (text ?? "")
      .split("\n")
      .find((candidate) => candidate.trim())
      ?.trim() ?? "";
  if (!line) return fallback;
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1).trimEnd()}…` : line;
}

/**
 * Opens a chat of the signed-in person, about a ticket or company when asked (checked with their
 * own token). In a hipaa or cjis chat the automatic title is made from the filtered message.
 */
export async function openChat(
  deps: Deps,
  c: Context<AppEnv>,
  input: { text?: string; ticket?: string; company?: string },
) {
  const user = c.get("user")!;
  const token = c.get("token");
  const requestId = c.get("requestId");
  const context = await resolveContext(deps, { ticket: input.ticket, company: input.company, token, requestId });
  const fallback = context ? `About ${context.kind} ${context.ref}` : "New chat";
  let text = input.text;
  if (text && (context?.level === "hipaa" || context?.level === "cjis")) {
    const directory = new CompanyDirectory(deps.config.services, token, requestId, deps.settings.toolTimeoutMs);
    const { filterText } = await filterModule();
    text = filterText(text, context.level, await directory.filterOptions()).text;
  }
  return createChat(deps.db, {
    userSub: user.sub,
    username: user.preferred_username,
    title: titleFrom(text, fallback),
    context,
  });
}
