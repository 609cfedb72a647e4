import { z } from "zod";

/** Input fields the curated tools share, with the words the model reads. */
export const acct = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/)
  .describe("The company's account number in Codex, e.g. ACME-001");
/** Tickets, contacts and assets are numbered by Codex (at most nine digits). */
export const recordId = z.number().int().positive().max(999_999_999).describe("The record's id in Codex");
export const limit = z.number().int().min(1).max(100).optional().describe("How many at most (default 25)");
export const cursor = z.string().max(500).optional().describe("next_cursor of the previous page");
export const text = (what: string, max = 20_000) => z.string().trim().min(1).max(max).describe(what);
