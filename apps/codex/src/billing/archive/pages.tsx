import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { scopeCompanyId } from "../../shared/client-scope.ts";
import { qs } from "../../shared/format.ts";
import { isClient } from "../../shared/request.ts";
import { firstIssues } from "../form-values.ts";
import { renderBillingPage } from "../render.ts";
import { searchArchive, visibleInvoice } from "./data.ts";
import { archiveQuery } from "./json.ts";
import { type ArchiveFilters, ArchivePage, InvoicePage } from "./views.tsx";

/** The archive of accepted bills: search with cursor pages, and one snapshot as it was accepted. */
export function archivePages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/billing/invoices", access: PAGES.readWithClientScope }), async (c) => {
    const raw = c.req.query();
    const filters: ArchiveFilters = {
      company: isClient(c) ? "" : (raw.company ?? "").trim(),
      invoice: (raw.invoice ?? "").trim(),
      from: (raw.from ?? "").trim(),
      to: (raw.to ?? "").trim(),
    };
    const input = Object.fromEntries(
      Object.entries({ ...filters, cursor: raw.cursor ?? "" }).filter(([, value]) => value !== ""),
    );
    const parsed = archiveQuery.safeParse({ ...input, limit: "50" });
    const errors = parsed.success ? {} : firstIssues(parsed.error);
    const scope = await scopeCompanyId(c, deps);
    const found = parsed.success ? await searchArchive(deps.db, parsed.data, scope) : { items: [], next_cursor: null };
    const page = c.get("page")!;
    const nextHref = found.next_cursor
      ? page.url(`/billing/invoices${qs({ ...filters, cursor: found.next_cursor })}`)
      : null;
    const firstHref = raw.cursor ? page.url(`/billing/invoices${qs({ ...filters })}`) : null;
    return renderBillingPage(
      c,
      <ArchivePage filters={filters} rows={found.items} nextHref={nextHref} firstHref={firstHref} errors={errors} />,
      { title: "Accepted bills", errors, failed: "Check the search fields." },
    );
  });

  routes.page(
    pageRoute({ method: "get", path: "/billing/invoices/{invoice}", access: PAGES.readWithClientScope }),
    async (c) => {
      const bill = await visibleInvoice(c, deps, c.req.param("invoice") ?? "");
      return renderBillingPage(c, <InvoicePage bill={bill} />, { title: `Invoice ${bill.invoice_number}` });
    },
  );
}
