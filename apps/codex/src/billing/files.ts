import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";

/** Billing's downloads: bills and invoices as CSV, a month's invoices as a ZIP. */

export const CSV_TYPE = "text/csv; charset=utf-8";
export const ZIP_TYPE = "application/zip";

/** A route's file answer, for its `responses`. */
export const csvFile = (description: string) => ({ description, content: { "text/csv": { schema: z.string() } } });
export const zipFile = (description: string) => ({
  description,
  content: { [ZIP_TYPE]: { schema: z.string().meta({ format: "binary" }) } },
});

/** A download: the file name says what it is; never cached. */
export function download(c: Context<AppEnv>, body: string | Uint8Array, type: string, filename: string): Response {
  c.header("Content-Disposition", `attachment; filename="${filename}"`);
  c.header("Cache-Control", "no-store");
  return c.body(body as string, 200, { "Content-Type": type });
}
