import { z } from "zod";
import { bulkResultSchema } from "../shared/route-schemas.ts";

export const CSV_KINDS = ["companies", "contacts", "assets"] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/** What an import answers: the bulk upsert's result. */
export const importResultSchema = bulkResultSchema;

/** The import page's kind. */
export const importParams = z.object({ kind: z.enum(CSV_KINDS) });
