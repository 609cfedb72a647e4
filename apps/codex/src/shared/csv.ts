import { badRequest } from "@hivematrix/lib/errors";
import { onFirstUse } from "@hivematrix/lib/on-first-use";

/**
 * The one place CSV cells are written, for every export and download (companies, contacts,
 * assets, bills, invoices, the ZIP's files, QuickBooks). A spreadsheet runs a cell starting
 * with =, +, -, @, a tab or a carriage return as a formula (CSV injection, OWASP), so every
 * cell that is not a number of a numeric column gets a leading apostrophe, which spreadsheets
 * show as text and `readCell` takes off again on import.
 */
export type CsvKind = "text" | "int" | "number" | "money" | "bool" | "list" | "intlist" | "json";
export type CsvColumns = readonly (readonly [string, CsvKind])[];

// Loaded with the first export or import, not at start-up (lib/on-first-use).
const csvParse = onFirstUse(() => require("csv-parse/sync") as typeof import("csv-parse/sync"));
const csvStringify = onFirstUse(() => require("csv-stringify/sync") as typeof import("csv-stringify/sync"));

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
  return csvHeader(columns) + csvRows(columns, records);
}

/** The header row alone, for a CSV written a page at a time. */
export function csvHeader(columns: CsvColumns): string {
  return csvStringify().stringify([columns.map(([name]) => neutralise(name))]);
}

/** Records' rows without a header, for a CSV written a page at a time. */
export function csvRows(columns: CsvColumns, records: Record<string, unknown>[]): string {
  return csvStringify().stringify(records.map((r) => columns.map(([name, kind]) => csvCell(kind, r[name]))));
}

/** A cell as it was before `writeCsv` neutralised it. */
export function readCell(raw: string): string {
  return NEUTRALISED.test(raw) ? raw.slice(1) : raw;
}

/**
 * Parses CSV into bulk rows: known columns only, empty cells left out (so an import never
 * blanks a field), values converted to the API's types. Conversion problems stay in the row
 * as the raw text, so the row's schema check reports them next to the column.
 */
export function fromCsv(columns: CsvColumns, text: string): Record<string, unknown>[] {
  if (text.includes("\u0000")) throw badRequest("The CSV contains a NUL character, which no field takes.");
  let records: Record<string, string>[];
  try {
    records = csvParse().parse(text.replace(/^\uFEFF/, ""), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as Record<string, string>[];
  } catch (e) {
    throw badRequest(`The CSV cannot be read: ${(e as Error).message}`);
  }
  const kinds = new Map(columns);
  const unknown = records.length ? Object.keys(records[0]!).filter((column) => !kinds.has(column)) : [];
  if (unknown.length)
    throw badRequest(
      `Unknown CSV column(s): ${unknown.join(", ")}. Known: ${columns.map(([n]) => n).join(", ")}.`,
      unknown.map((u) => ({ field: u, message: "Unknown column." })),
    );
  return records.map((rec) => {
    const row: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(rec)) {
      if (raw === "") continue;
      const v = readCell(raw);
      switch (kinds.get(name)) {
        case "int":
          row[name] = /^-?\d+$/.test(v) ? Number(v) : v;
          break;
        case "bool":
          row[name] = /^(true|yes|1)$/i.test(v) ? true : /^(false|no|0)$/i.test(v) ? false : v;
          break;
        case "list":
          row[name] = v
            .split(";")
            .map((s) => s.trim())
            .filter(Boolean);
          break;
        case "intlist":
          row[name] = v
            .split(";")
            .map((s) => s.trim())
            .filter((s) => s !== "")
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
          break;
        case "json":
          try {
            row[name] = JSON.parse(v);
          } catch {
            row[name] = v;
          }
          break;
        default:
          row[name] = v;
      }
    }
    return row;
  });
}
