import { notFound } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import { acceptedByInvoice, archiveQuery, searchArchive } from "../billing/archive.ts";
import { forClient, fromSnapshot } from "../billing/bills.ts";
import { ArchivePage, InvoicePage, type ArchiveFilters } from "../views/billing-archive.tsx";
import { pageCtx } from "../views/shell.tsx";
import { qs } from "../shared/format.ts";
import type { RouteTable } from "./registry.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { isClient } from "../shared/request.ts";

/** The archive of accepted bills: search with cursor pages, and one snapshot as it was accepted. */
export function billingArchivePages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Pages";

  r.add(
    {
      method: "get",
      path: "/billing/invoices",
      access: "read",
      client: true,
      page: true,
      tag,
      summary: "Search accepted bills (company, invoice number, months)",
    },
    async (c) => {
      const raw = c.req.query();
      const filters: ArchiveFilters = {
        company: isClient(c) ? "" : (raw.company ?? "").trim(),
        invoice: (raw.invoice ?? "").trim(),
        from: (raw.from ?? "").trim(),
        to: (raw.to ?? "").trim(),
      };
      const input = Object.fromEntries(
        Object.entries({ ...filters, cursor: raw.cursor ?? "" }).filter(([, v]) => v !== ""),
      );
      const parsed = archiveQuery.safeParse({ ...input, limit: "50" });
      const errors: Record<string, string> = {};
      if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
      const p = pageCtx(c);
      const scope = await scopeCompanyId(c, deps);
      const page = parsed.success ? await searchArchive(h, parsed.data, scope) : { items: [], next_cursor: null };
      const base = { company: filters.company, invoice: filters.invoice, from: filters.from, to: filters.to };
      const nextHref = page.next_cursor ? p.url(`/billing/invoices${qs({ ...base, cursor: page.next_cursor })}`) : null;
      const firstHref = raw.cursor ? p.url(`/billing/invoices${qs(base)}`) : null;
      return c.html(
        <ArchivePage
          p={p}
          filters={filters}
          rows={page.items}
          nextHref={nextHref}
          firstHref={firstHref}
          errors={errors}
        />,
        parsed.success ? 200 : 422,
      );
    },
  );

  r.add(
    {
      method: "get",
      path: "/billing/invoices/:invoice",
      access: "read",
      client: true,
      page: true,
      tag,
      summary: "One accepted bill, exactly as accepted",
    },
    async (c) => {
      const row = await acceptedByInvoice(h, c.req.param("invoice") ?? "");
      if (!row) throw notFound("No such invoice.");
      await assertVisible(c, deps, row.companyId, "invoice");
      const bill = fromSnapshot(row);
      return c.html(<InvoicePage p={pageCtx(c)} bill={isClient(c) ? forClient(bill) : bill} />);
    },
  );
}
