import { stringify } from "csv-stringify/sync";

/**
 * The one place CSV cells are written, for every export and download (companies, contacts,
 * assets, bills, invoices, the ZIP's files, QuickBooks). A spreadsheet runs a cell starting
 * with =, +, -, @, a tab or a carriage return as a formula (CSV injection, OWASP), so every
 * cell that is not a number of a numeric column gets a leading apostrophe, which spreadsheets
 * show as text and `readCell` takes off again on import.
 */
export type CsvKind = "text" | "int" | "number" | "money" | "bool" | "list" | "intlist" | "json";
export type CsvColumns = readonly (readonly [string, CsvKind])[];

const FORMULA_START = /^[=+\-@\t\r]/;
const NEUTRALISED = /^'[=+\-@\t\r]/;

const neutralise = (s: string) => (FORMULA_START.test(s) ? `'${s}` : s);

/** A number as a numeric column shows it; money is integer cents, shown as units with two decimals. */
function numeric(kind: "int" | "number" | "money", v: number): string {
  return kind === "money" ? (v / 100).toFixed(2) : String(v);
}

function asText(kind: CsvKind, v: unknown): string {
  if (kind === "list" || kind === "intlist") return (v as unknown[]).map(String).join(";");
  if (kind === "json") return Object.keys(v as object).length ? JSON.stringify(v) : "";
  if (kind === "bool") return v ? "true" : "false";
  if (v instanceof Date) return v.toISOString();
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function csvCell(kind: CsvKind, v: unknown): string {
  if (v === null || v === undefined) return "";
  const isNumeric = kind === "int" || kind === "number" || kind === "money";
  if (isNumeric && typeof v === "number" && Number.isFinite(v)) return numeric(kind, v);
  return neutralise(asText(kind, v));
}

/** Records (by column name) as CSV with a header row of `columns`. */
export function writeCsv(columns: CsvColumns, records: Record<string, unknown>[]): string {
  return stringify([
    columns.map(([name]) => neutralise(name)),
    ...records.map((r) => columns.map(([name, kind]) => csvCell(kind, r[name]))),
  ]);
}

/** A cell as it was before `writeCsv` neutralised it. */
export function readCell(raw: string): string {
  return NEUTRALISED.test(raw) ? raw.slice(1) : raw;
}
