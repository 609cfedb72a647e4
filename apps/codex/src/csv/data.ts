import { HttpError } from "@hivematrix/lib/errors";
import { allAssets } from "../assets/data-lists.ts";
import { upsertAssets } from "../assets/data.ts";
import { ASSET_CSV } from "../assets/json.ts";
import { allCompanies, upsertCompanies } from "../companies/data.ts";
import { COMPANY_CSV } from "../companies/json.ts";
import { allContacts } from "../contacts/data-lists.ts";
import { upsertContacts } from "../contacts/data.ts";
import { CONTACT_CSV } from "../contacts/json.ts";
import type { CodexDb } from "../deps.ts";
import type { Actor } from "../shared/data-audit.ts";
import { BulkRejected, type BulkResult } from "../shared/data-bulk.ts";
import { fromCsv, writeCsv } from "../shared/csv.ts";
import type { CsvKind } from "./json.ts";

/** Each kind's CSV columns (its field spec's), records a request may see, and bulk upsert. */
const KINDS = {
  companies: { columns: COMPANY_CSV, records: allCompanies, upsert: upsertCompanies },
  contacts: { columns: CONTACT_CSV, records: allContacts, upsert: upsertContacts },
  assets: { columns: ASSET_CSV, records: allAssets, upsert: upsertAssets },
};

/** Every record of a kind the caller may see, as CSV (the import format). */
export async function exportCsv(db: CodexDb, kind: CsvKind, scope: number | null): Promise<string> {
  const { columns, records } = KINDS[kind];
  return writeCsv(columns, await records(db, scope));
}

/** Imports CSV text through the bulk upsert: all rows or none; errors name the CSV line. */
export async function importCsv(db: CodexDb, kind: CsvKind, text: string, actor: Actor): Promise<BulkResult> {
  const { columns, upsert } = KINDS[kind];
  const rows = fromCsv(columns, text);
  if (rows.length === 0)
    throw new HttpError(422, "validation_failed", "The CSV has no rows.", [
      { field: "file", message: "No rows to import." },
    ]);
  try {
    return await upsert(db, rows, actor);
  } catch (e) {
    // The header is line 1.
    if (e instanceof BulkRejected) for (const row of e.result.results) row.line = row.index + 2;
    throw e;
  }
}
