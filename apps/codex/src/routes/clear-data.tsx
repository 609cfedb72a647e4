import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import { CLEAR_KINDS, clearData, clearPlan, clearTotal, confirmPhrase, type ClearKind } from "../data/clear.ts";
import { ClearDataPage } from "../views/clear-data.tsx";
import { pageCtx } from "../views/shell.tsx";
import type { RouteTable } from "./registry.ts";
import { actorOf } from "../shared/request.ts";
import { formFields } from "@hivematrix/lib/validate";

const kindOf = (v: string | undefined): ClearKind | null =>
  (CLEAR_KINDS as readonly string[]).includes(v ?? "") ? (v as ClearKind) : null;

/**
 * Admin "Clear data": a page only (people, never service tokens), CSRF-protected, and the
 * admin must type the phrase naming what goes, computed from the counts at that moment.
 */
export function clearDataPages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const render = async (
    c: Context<AppEnv>,
    kind: ClearKind | null,
    o: { errors?: Record<string, string>; confirm?: string; cleared?: boolean } = {},
    status: 200 | 422 = 200,
  ) => {
    const t = h.t.auditLog;
    const history = await h.db
      .select({ at: t.at, actor: t.actor, entity: t.entity, before: t.before })
      .from(t)
      .where(and(eq(t.action, "delete"), eq(t.entityId, "all")))
      .orderBy(desc(t.id))
      .limit(20);
    return c.html(
      <ClearDataPage
        p={pageCtx(c)}
        plan={await clearPlan(h)}
        kind={kind}
        errors={o.errors ?? {}}
        confirm={o.confirm ?? ""}
        cleared={o.cleared ?? false}
        history={history}
      />,
      status,
    );
  };

  r.add(
    {
      method: "get",
      path: "/admin/clear-data",
      access: "admin",
      page: true,
      tag: "Pages",
      summary: "Clear data: counts, and the confirmation form for one kind",
    },
    (c) => render(c, kindOf(c.req.query("kind")), { cleared: c.req.query("cleared") === "1" }),
  );
  r.add(
    {
      method: "post",
      path: "/admin/clear-data",
      access: "admin",
      page: true,
      tag: "Pages",
      summary: "Delete every record of a kind (typed confirmation)",
    },
    async (c) => {
      const raw = await formFields(c);
      const kind = kindOf(raw.kind);
      if (!kind) return render(c, null, { errors: { kind: "Choose what to clear." } }, 422);
      const plan = await clearPlan(h);
      const phrase = confirmPhrase(plan, kind);
      const typed = (raw.confirm ?? "").trim();
      if (clearTotal(plan, kind) === 0)
        return render(c, kind, { errors: { kind: "There is nothing of this kind to delete." } }, 422);
      if (typed !== phrase) {
        const message = typed
          ? `That is not ${phrase}. (The counts may have changed since the page was shown.)`
          : `Type ${phrase} to confirm.`;
        return render(c, kind, { errors: { confirm: message }, confirm: typed }, 422);
      }
      await clearData(h, kind, actorOf(c));
      return c.redirect(appUrl(c, "/admin/clear-data?cleared=1"), 303);
    },
  );
}
