import { z } from "zod";
import { TICKET_STATUSES } from "../db/schema.ts";

/** What GET /api/search and the search page take. */
export const searchQuery = z
  .object({
    q: z.string().trim().min(1, "Type something to search for.").max(200),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    types: z
      .string()
      .transform((s) => s.split(",").filter(Boolean))
      .pipe(z.array(z.enum(["companies", "contacts", "assets", "tickets"])))
      .optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuery>;

/** The newest matches of each kind: enough of each record to recognise and open it. */
export const searchResultSchema = z
  .object({
    query: z.string(),
    companies: z.array(z.object({ account_number: z.string(), name: z.string(), domain: z.string().nullable() })),
    contacts: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        email: z.string().nullable(),
        job_title: z.string().nullable(),
      }),
    ),
    assets: z.array(
      z.object({ id: z.number().int(), hostname: z.string(), asset_type: z.string(), company: z.string().nullable() }),
    ),
    tickets: z.array(
      z.object({
        id: z.number().int(),
        subject: z.string(),
        status: z.enum(TICKET_STATUSES),
        company: z.string().nullable(),
        updated_at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: "SearchResult" });
export type SearchResult = z.infer<typeof searchResultSchema>;
