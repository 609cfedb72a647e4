import { z } from "zod";
import { errorSchema } from "@hivematrix/lib/openapi";
import { MAX_BULK_ROWS } from "./data-bulk.ts";

/** Pieces of API routes every feature declares the same way. */

/** A JSON answer of `schema`, for a route's `responses`. */
export const jsonAnswer = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON body of `schema`, for a route's `request.body`. */
export const jsonRequest = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** A refusal particular to the route (lib documents 401, 403, 404, 415, 422 and 503 for every route). */
export const errorAnswer = (description: string) => jsonAnswer(errorSchema, description);

/** What a delete answers. */
export const messageSchema = z.object({ message: z.string() }).meta({ id: "Message" });

/**
 * A bulk upsert's request and answer, the same for every entity. Each row is checked on its own
 * by the bulk engine (against the entity's create schema) and answered in `results`, so the
 * request schema only asks for an array of objects.
 */
export function bulkBody(rowName: string) {
  return z
    .object({
      rows: z
        .array(
          z.record(z.string(), z.unknown()).meta({
            description: `A row as ${rowName} takes it; each is checked on its own and answered in results[]`,
          }),
        )
        .min(1, "Send at least one row.")
        .max(MAX_BULK_ROWS, `Send an array of at most ${MAX_BULK_ROWS} rows.`),
    })
    .strict();
}

const rowResultSchema = z.object({
  index: z.number().int(),
  line: z.number().int().optional().meta({ description: "The row's line in a CSV import" }),
  status: z.enum(["created", "updated", "unchanged", "error"]),
  id: z.number().int().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const bulkResultSchema = z
  .object({
    ok: z.boolean(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errors: z.number().int(),
    results: z.array(rowResultSchema),
  })
  .meta({ id: "BulkResult" });
