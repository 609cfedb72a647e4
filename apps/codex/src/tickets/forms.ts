import { z } from "zod";

/** A reply's or note's text, as the ticket page's forms take it. */
export const entryForm = z.object({ body: z.string().trim().min(1, "Write something first.").max(100_000) });
