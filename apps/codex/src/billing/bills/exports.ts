import { onFirstUse } from "@hivematrix/lib/on-first-use";
import { type CsvColumns, writeCsv } from "../../shared/csv.ts";
import type { LineCategory } from "../engine/types.ts";
import { MONTHS, pad2 } from "../months.ts";
import type { BillView } from "./json.ts";

/**
 * Bills as files: a month's bills as one CSV, one invoice CSV per company, all of a month's
 * invoices as one ZIP, and QuickBooks Online's invoice import CSV.
 */

const BILL_COLUMNS: CsvColumns = [
  ["invoice_number", "text"],
  ["account_number", "text"],
  ["company", "text"],
  ["period", "text"],
  ["status", "text"],
  ["category", "text"],
  ["description", "text"],
  ["quantity", "number"],
  ["unit_price", "money"],
  ["amount", "money"],
];

/** A month's bills as CSV: one row per bill line, with the invoice number and status, then the bill's total. */
export function billsCsv(bills: BillView[]): string {
  return writeCsv(
    BILL_COLUMNS,
    bills.flatMap((bill) => {
      const head = {
        invoice_number: bill.invoice_number,
        account_number: bill.account_number,
        company: bill.company_name,
        period: bill.period,
        status: bill.accepted ? "accepted" : "draft",
      };
      return [
        ...bill.lines.map((line) => ({
          ...head,
          category: line.category,
          description: line.description,
          quantity: line.quantity,
          unit_price: line.unit_cents,
          amount: line.amount_cents,
        })),
        { ...head, category: "total", description: "Total", amount: bill.totals.total_cents },
      ];
    }),
  );
}

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
    bills.map((bill) => ({
      invoice_number: bill.invoice_number,
      account_number: bill.account_number,
      company: bill.company_name,
      period: bill.period,
      status: bill.accepted ? "accepted" : "draft",
      total: bill.totals.total_cents,
    })),
  );
}

// Loaded with the first ZIP asked for, not at start-up (lib/on-first-use).
const fflate = onFirstUse(() => require("fflate") as typeof import("fflate"));

/**
 * Every bill of a month as a ZIP: `<invoice number>.csv` each (account numbers are letters,
 * digits, dots, dashes and underscores, so they make safe file names) plus `summary.csv`.
 * Built in memory: a month of 1,000 companies is a few megabytes of CSV.
 */
export function invoicesZip(bills: BillView[], at = new Date()): Uint8Array {
  const { strToU8, zipSync } = fflate();
  const files: Record<string, Uint8Array> = { "summary.csv": strToU8(summaryCsv(bills)) };
  for (const bill of bills) files[`${bill.invoice_number}.csv`] = strToU8(invoiceCsv(bill));
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

/** MM/DD/YYYY, QuickBooks Online's US date format. */
const usDate = (date: Date) => `${pad2(date.getUTCMonth() + 1)}/${pad2(date.getUTCDate())}/${date.getUTCFullYear()}`;

/**
 * Bills as a QuickBooks Online invoice import: one row per bill line, the invoice's fields
 * repeated on each. An accepted bill is dated the day it was accepted, a draft `today`; due
 * 30 days later (Net 30); the service date is the first day of the billed month.
 */
export function quickbooksCsv(bills: BillView[], today = new Date()): string {
  type Column = (typeof QUICKBOOKS_COLUMNS)[number][0];
  const rows: Record<Column, unknown>[] = [];
  for (const bill of bills) {
    const issued = bill.accepted ? new Date(bill.accepted.accepted_at) : today;
    const invoiceDate = new Date(Date.UTC(issued.getUTCFullYear(), issued.getUTCMonth(), issued.getUTCDate()));
    const due = new Date(invoiceDate.getTime() + QUICKBOOKS_TERMS.days * 86_400_000);
    for (const line of bill.lines)
      rows.push({
        InvoiceNo: bill.invoice_number,
        Customer: bill.company_name,
        InvoiceDate: usDate(invoiceDate),
        DueDate: usDate(due),
        Terms: QUICKBOOKS_TERMS.name,
        Memo: `${MONTHS[bill.month - 1]} ${bill.year} services, account ${bill.account_number}`,
        "Item(Product/Service)": QUICKBOOKS_ITEMS[line.category],
        ItemDescription: line.description,
        ItemQuantity: line.quantity,
        ItemRate: line.unit_cents,
        ItemAmount: line.amount_cents,
        ServiceDate: usDate(new Date(Date.UTC(bill.year, bill.month - 1, 1))),
      });
  }
  return writeCsv(QUICKBOOKS_COLUMNS, rows);
}
