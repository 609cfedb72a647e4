import { parse } from "csv-parse/sync";
import { badRequest } from "@hivematrix/lib/errors";
import { readCell, type CsvColumns } from "../shared/csv.ts";

/* The import and export columns of each kind of record (written by csv-write.ts); lists use ";". */

export const COMPANY_COLUMNS: CsvColumns = [
  ["account_number", "text"],
  ["name", "text"],
  ["description", "text"],
  ["domain", "text"],
  ["domains", "list"],
  ["billing_plan", "text"],
  ["contract_term", "text"],
  ["contract_start", "text"],
  ["contract_end", "text"],
  ["compliance_level", "text"],
  ["phone", "text"],
  ["address", "text"],
  ["notes", "text"],
  ["email_system", "text"],
  ["phone_system", "text"],
  ["head_name", "text"],
  ["prime_user_name", "text"],
  ["rmm_portal_url", "text"],
  ["external_id", "text"],
  ["external_source", "text"],
];

export const CONTACT_COLUMNS: CsvColumns = [
  ["id", "int"],
  ["name", "text"],
  ["first_name", "text"],
  ["last_name", "text"],
  ["email", "text"],
  ["secondary_emails", "list"],
  ["job_title", "text"],
  ["mobile_phone", "text"],
  ["work_phone", "text"],
  ["address", "text"],
  ["time_zone", "text"],
  ["notes", "text"],
  ["active", "bool"],
  ["vip", "bool"],
  ["companies", "list"],
  ["external_id", "text"],
  ["external_source", "text"],
];

export const ASSET_COLUMNS: CsvColumns = [
  ["id", "int"],
  ["company", "text"],
  ["hostname", "text"],
  ["asset_type", "text"],
  ["location_id", "int"],
  ["hardware_type", "text"],
  ["device_type", "text"],
  ["manufacturer", "text"],
  ["model", "text"],
  ["serial_number", "text"],
  ["operating_system", "text"],
  ["description", "text"],
  ["last_logged_in_user", "text"],
  ["rmm_site_name", "text"],
  ["antivirus_product", "text"],
  ["patch_status", "text"],
  ["internal_ip", "text"],
  ["external_ip", "text"],
  ["domain", "text"],
  ["portal_url", "text"],
  ["web_remote_url", "text"],
  ["online", "bool"],
  ["last_seen_at", "text"],
  ["last_reboot_at", "text"],
  ["last_audit_at", "text"],
  ["backed_up", "bool"],
  ["backup_bytes", "int"],
  ["custom_fields", "json"],
  ["contact_ids", "intlist"],
  ["external_id", "text"],
  ["external_source", "text"],
];

/**
 * Parses CSV into bulk rows: known columns only, empty cells left out (so an import never
 * blanks a field), values converted to the API's types. Conversion problems stay in the row
 * as the raw text, so the row's schema check reports them next to the column.
 */
export function fromCsv(columns: CsvColumns, text: string): Record<string, unknown>[] {
  if (text.includes("\u0000")) throw badRequest("The CSV contains a NUL character, which no field takes.");
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as Record<string, string>[];
  } catch (e) {
    throw badRequest(`The CSV cannot be read: ${(e as Error).message}`);
  }
  const kinds = new Map(columns);
  const unknown = records.length ? Object.keys(records[0]!).filter((h) => !kinds.has(h)) : [];
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
            .map((s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim()))
            .filter((s) => s !== "");
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
