import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { lockKey, transaction } from "@hivematrix/lib/db";
import { validationFailed } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import { accountNumberSchema, optText } from "../shared/input.ts";
import { selectIn } from "../shared/data-common.ts";
import { writeAudit, type Actor, type AuditRecord } from "../shared/data-audit.ts";

export const rmmSiteLinkSchema = z
  .object({
    company: accountNumberSchema,
    provider: z.string().trim().min(1).max(50),
    site_uid: z.string().trim().min(1).max(200),
    site_name: optText(200),
  })
  .strict();

/** Links RMM sites to companies (matched by provider + site uid); audit-logged. Invalid input writes nothing. */
export async function upsertRmmSiteLinks(
  h: CodexDb,
  rows: z.input<typeof rmmSiteLinkSchema>[],
  actor: Actor,
): Promise<number[]> {
  const parsed = rows.map((r, i) => {
    const p = rmmSiteLinkSchema.safeParse(r);
    if (!p.success)
      throw validationFailed(p.error.issues.map((x) => ({ field: `${i}.${x.path.join(".")}`, message: x.message })));
    return p.data;
  });
  const companies = new Map(
    (
      await selectIn(
        parsed.map((p) => p.company),
        (part) =>
          h.db
            .select({ id: h.t.companies.id, acct: h.t.companies.accountNumber })
            .from(h.t.companies)
            .where(inArray(h.t.companies.accountNumber, part as string[])),
      )
    ).map((c) => [c.acct, c.id]),
  );
  parsed.forEach((p, i) => {
    if (!companies.has(p.company))
      throw validationFailed([{ field: `${i}.company`, message: `No company with account number ${p.company}.` }]);
  });
  return transaction(h, async (tx) => {
    // Each link is looked up, then created or updated: one writer of links at a time.
    await lockKey(h, "codex:rmm-site-links");
    const ids: number[] = [];
    const audits: AuditRecord[] = [];
    for (const p of parsed) {
      const companyId = companies.get(p.company)!;
      const [existing] = await tx
        .select()
        .from(h.t.rmmSiteLinks)
        .where(and(eq(h.t.rmmSiteLinks.provider, p.provider), eq(h.t.rmmSiteLinks.siteUid, p.site_uid)));
      if (existing) {
        ids.push(existing.id);
        if (existing.companyId === companyId && existing.siteName === (p.site_name ?? null)) continue;
        const [after] = await tx
          .update(h.t.rmmSiteLinks)
          .set({ companyId, siteName: p.site_name ?? null, updatedAt: new Date() })
          .where(eq(h.t.rmmSiteLinks.id, existing.id))
          .returning();
        audits.push({
          action: "update",
          entity: "rmm_site_link",
          entityId: existing.id,
          companyId,
          before: existing,
          after,
        });
      } else {
        const [row] = await tx
          .insert(h.t.rmmSiteLinks)
          .values({ companyId, provider: p.provider, siteUid: p.site_uid, siteName: p.site_name ?? null })
          .returning();
        ids.push(row!.id);
        audits.push({ action: "create", entity: "rmm_site_link", entityId: row!.id, companyId, after: row });
      }
    }
    await writeAudit(tx, h, actor, audits);
    return ids;
  });
}
