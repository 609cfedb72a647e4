import type { Context } from "hono";
import { type AppEnv, prefixOf } from "@hivematrix/lib/app";
import type { AttachmentLink } from "./json.ts";

/**
 * Download links for this request's answers (JSON, exports): absolute on Nexus's public address
 * when the request came through Nexus, which names it; the app's own path otherwise.
 */
export function attachmentLinks(c: Context<AppEnv>): AttachmentLink {
  const prefix = prefixOf(c);
  const host = c.req.header("x-forwarded-host");
  const proto = c.req.header("x-forwarded-proto") === "https" ? "https" : "http";
  const origin = prefix && host ? `${proto}://${host}` : "";
  return (ticketId, attachmentId) => `${origin}${prefix}/api/tickets/${ticketId}/attachments/${attachmentId}`;
}
