import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import { getConnInfo } from "hono/bun";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import { jsonBody } from "@hivematrix/lib/validate";
import { NotConfiguredError, type IntegrationContext } from "./context.ts";
import { IntegrationError } from "./http.ts";
import { readIntegrationSecret, SECRET_NAMES } from "./secrets.ts";
import { readSettings } from "./settings.ts";
import { JobReport } from "./sync/report.ts";
import { syncOneTicket } from "./sync/tickets.ts";

/** Where Freshservice calls in, below Codex's root (through Nexus: `/codex/webhooks/…`). */
export const WEBHOOK_PATH = "/webhooks/freshservice/ticket";

/**
 * POST /webhooks/freshservice/ticket: a Freshservice workflow calls it when a ticket changes.
 * It reaches Codex through Nexus without a session, because services.json lists `/webhooks/`
 * among Codex's publicPaths; it carries no HiveMatrix token, so it is authenticated here by a
 * shared secret in X-Webhook-Secret (compared in constant time) and, optionally, the caller's
 * address as Nexus saw it. The payload only names the ticket: Codex then reads the ticket
 * itself from the API, so a forged or stale payload cannot write data.
 */
const ticketId = z
  .union([z.number().int().positive(), z.string().regex(/\d+/)])
  .transform((v) => Number(typeof v === "number" ? v : (/(\d+)\s*$/.exec(v)?.[1] ?? /\d+/.exec(v)![0])));

export const webhookPayloadSchema = z
  .looseObject({
    ticket_id: ticketId.optional(),
    id: ticketId.optional(),
    ticket: z.looseObject({ id: ticketId }).optional(),
    freshdesk_webhook: z.looseObject({ ticket_id: ticketId }).optional(),
    event: z.string().max(100).optional(),
  })
  .refine((p) => p.ticket_id ?? p.ticket?.id ?? p.freshdesk_webhook?.ticket_id ?? p.id, {
    message: "Name the ticket: ticket_id (number or 'INC-123').",
    path: ["ticket_id"],
  });

function sameSecret(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time regardless of the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The address the request came from: the last X-Forwarded-For hop (Nexus sets it to its peer), else the socket. */
function clientIp(c: Context<AppEnv>): string | null {
  const forwarded = c.req.header("x-forwarded-for");
  if (forwarded) return forwarded.split(",").at(-1)!.trim();
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export function webhookRoutes(app: Hono<AppEnv>, ctx: IntegrationContext): void {
  app.post(WEBHOOK_PATH, async (c) => {
    const { enabled, settings } = await readSettings(ctx.db, "webhooks");
    const secret = readIntegrationSecret(ctx.home, SECRET_NAMES.webhookSecret);
    if (!enabled || !secret)
      throw new HttpError(
        503,
        "webhooks_disabled",
        "Freshservice webhooks are not enabled in Codex's integration settings.",
      );
    const given = c.req.header("x-webhook-secret");
    if (!given || !sameSecret(given, secret))
      throw new HttpError(401, "bad_webhook_secret", "The X-Webhook-Secret header is missing or wrong.");
    if (settings.ipAllowlist.length) {
      const ip = clientIp(c);
      if (!ip || !settings.ipAllowlist.includes(ip.replace(/^::ffff:/, "")))
        throw new HttpError(403, "ip_not_allowed", "This address may not call the webhook.");
    }
    const payload = await jsonBody(c, webhookPayloadSchema);
    const id = (payload.ticket_id ?? payload.ticket?.id ?? payload.freshdesk_webhook?.ticket_id ?? payload.id)!;
    const report = new JobReport();
    try {
      await syncOneTicket(ctx, id, report);
    } catch (e) {
      if (e instanceof NotConfiguredError) throw new HttpError(503, "not_configured", e.message);
      // 502 makes Freshservice retry the delivery later.
      if (e instanceof IntegrationError) throw new HttpError(502, `provider_${e.kind}`, e.message);
      throw e;
    }
    const counts = report.counts;
    const result = counts.tickets_deleted_in_psa
      ? "deleted"
      : counts.tickets_created
        ? "created"
        : counts.tickets_updated
          ? "updated"
          : counts.tickets_errors || counts.tickets_without_company
            ? "skipped"
            : "unchanged";
    ctx.logger.info("freshservice webhook", { ticket: id, event: payload.event ?? null, result });
    return c.json({ ok: true, ticket_id: id, result, detail: report.output() || null });
  });
}
