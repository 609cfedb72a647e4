import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { actorOf } from "../shared/request.ts";
import { pastClears } from "./data.ts";
import { clearData, clearPlan } from "./data-clear.ts";
import { type ClearKind, clearTotal, confirmPhrase, kindOf } from "./json.ts";
import { ClearDataPage } from "./views-clear.tsx";

/**
 * Admin "Clear data": a page only (people, never service tokens), CSRF-protected, and the
 * admin must type the phrase naming what goes, computed from the counts at that moment.
 */
export function clearDataPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const render = async (
    c: Context<AppEnv>,
    kind: ClearKind | null,
    form: { errors?: Record<string, string>; confirm?: string; cleared?: boolean } = {},
  ) => {
    const errors = form.errors ?? {};
    const notice = form.cleared
      ? { variant: "success" as const, text: "Cleared. The audit log below has the counts." }
      : Object.keys(errors).length
        ? { variant: "error" as const, text: "Nothing was deleted: check the form below." }
        : null;
    if (Object.keys(errors).length) c.status(422);
    return c.render(
      <ClearDataPage
        plan={await clearPlan(db)}
        kind={kind}
        errors={errors}
        confirm={form.confirm ?? ""}
        history={await pastClears(db, 20)}
      />,
      { title: "Clear data", section: "admin", notice },
    );
  };

  routes.page(pageRoute({ method: "get", path: "/admin/clear-data", access: PAGES.admin }), (c) =>
    render(c, kindOf(c.req.query("kind")), { cleared: c.req.query("cleared") === "1" }),
  );

  routes.page(pageRoute({ method: "post", path: "/admin/clear-data", access: PAGES.admin }), async (c) => {
    const raw = await formFields(c);
    const kind = kindOf(raw.kind);
    if (!kind) return render(c, null, { errors: { kind: "Choose what to clear." } });
    const plan = await clearPlan(db);
    const phrase = confirmPhrase(plan, kind);
    const typed = (raw.confirm ?? "").trim();
    if (clearTotal(plan, kind) === 0)
      return render(c, kind, { errors: { kind: "There is nothing of this kind to delete." } });
    if (typed !== phrase) {
      const message = typed
        ? `That is not ${phrase}. (The counts may have changed since the page was shown.)`
        : `Type ${phrase} to confirm.`;
      return render(c, kind, { errors: { confirm: message }, confirm: typed });
    }
    const cleared = await clearData(db, kind, actorOf(c));
    await deps.attachments.remove(cleared.files);
    return c.redirect(c.get("page")!.url("/admin/clear-data?cleared=1"), 303);
  });
}
