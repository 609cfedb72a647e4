import { strToU8, zipSync } from "fflate";
import { writeCsv, type CsvColumns } from "../shared/csv.ts";
import { billsCsv, type BillView } from "./bills.ts";
import type { LineCategory } from "./engine.ts";

/**
 * Bill exports beyond the month's CSV: one invoice CSV per company, all of a month's invoices
 * as one ZIP, and QuickBooks Online's invoice import CSV.
 */

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A company's invoice for a month as CSV: the month export's columns, its lines only. */
export function invoiceCsv(bill: BillView): string {
  return billsCsv([bill]);
}

/** One row per bill: what the ZIP holds, for a quick look without opening every file. */
function summaryCsv(bills: BillView[]): string {
  return writeCsv(
    [
      ["invoice_number", "text"],
      ["account_number", "text"],
      ["company", "text"],
      ["period", "text"],
      ["status", "text"],
      ["total", "money"],
    ],
    bills.map((b) => ({
      invoice_number: b.invoice_number,
      account_number: b.account_number,
      company: b.company_name,
      period: b.period,
      status: b.accepted ? "accepted" : "draft",
      total: b.totals.total_cents,
    })),
  );
}

/**
 * Every bill of a month as a ZIP: `<invoice number>.csv` each (account numbers are letters,
 * digits, dots, dashes and underscores, so they make safe file names) plus `summary.csv`.
 * Built in memory: a month of 1,000 companies is a few megabytes of CSV.
 */
export function invoicesZip(bills: BillView[], at = new Date()): Uint8Array {
  const files: Record<string, Uint8Array> = { "summary.csv": strToU8(summaryCsv(bills)) };
  for (const b of bills) files[`${b.invoice_number}.csv`] = strToU8(invoiceCsv(b));
  return zipSync(files, { level: 6, mtime: at });
}

/** QuickBooks Online's products/services, one per kind of charge. */
export const QUICKBOOKS_ITEMS: Record<LineCategory, string> = {
  users: "Managed users",
  assets: "Managed devices",
  backup: "Backup",
  tickets: "Support time",
  line_items: "Other charges",
};

/** The column names QuickBooks Online maps automatically when importing invoices (Sales › Import invoices). */
export const QUICKBOOKS_COLUMNS = [
  ["InvoiceNo", "text"],
  ["Customer", "text"],
  ["InvoiceDate", "text"],
  ["DueDate", "text"],
  ["Terms", "text"],
  ["Memo", "text"],
  ["Item(Product/Service)", "text"],
  ["ItemDescription", "text"],
  ["ItemQuantity", "number"],
  ["ItemRate", "money"],
  ["ItemAmount", "money"],
  ["ServiceDate", "text"],
] as const satisfies CsvColumns;
export const QUICKBOOKS_TERMS = { name: "Net 30", days: 30 };
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** MM/DD/YYYY, QuickBooks Online's US date format. */
const usDate = (d: Date) => `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()}`;

/**
 * Bills as a QuickBooks Online invoice import: one row per bill line, the invoice's fields
 * repeated on each. An accepted bill is dated the day it was accepted, a draft `today`; due
 * 30 days later (Net 30); the service date is the first day of the billed month.
 */
export function quickbooksCsv(bills: BillView[], today = new Date()): string {
  type Column = (typeof QUICKBOOKS_COLUMNS)[number][0];
  const rows: Record<Column, unknown>[] = [];
  for (const b of bills) {
    const issued = b.accepted ? new Date(b.accepted.accepted_at) : today;
    const invoiceDate = new Date(Date.UTC(issued.getUTCFullYear(), issued.getUTCMonth(), issued.getUTCDate()));
    const due = new Date(invoiceDate.getTime() + QUICKBOOKS_TERMS.days * 86_400_000);
    for (const l of b.lines)
      rows.push({
        InvoiceNo: b.invoice_number,
        Customer: b.company_name,
        InvoiceDate: usDate(invoiceDate),
        DueDate: usDate(due),
        Terms: QUICKBOOKS_TERMS.name,
        Memo: `${MONTHS[b.month - 1]} ${b.year} services, account ${b.account_number}`,
        "Item(Product/Service)": QUICKBOOKS_ITEMS[l.category],
        ItemDescription: l.description,
        ItemQuantity: l.quantity,
        ItemRate: l.unit_cents,
        ItemAmount: l.amount_cents,
        ServiceDate: usDate(new Date(Date.UTC(b.year, b.month - 1, 1))),
      });
  }
  return writeCsv(QUICKBOOKS_COLUMNS, rows);
}
