import { z } from "zod";
import { INGEST_LIMITS } from "@hivematrix/lib/log-shipper";
import { LOG_LEVELS } from "../db/schema.ts";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** Clocks drift a little; a line stamped further ahead would sit on top of the log view for days. */
const MAX_FUTURE_MS = 5 * 60_000;

const lineSchema = z
  .object({
    timestamp: z.iso
      .datetime({ offset: true })
      .refine((s) => Date.parse(s) <= Date.now() + MAX_FUTURE_MS, "the timestamp is in the future"),
    level: z.enum(LOG_LEVELS),
    message: z.string().max(INGEST_LIMITS.messageChars),
    request_id: z.string().regex(REQUEST_ID, "a request id is 1-100 letters, digits and . _ : -").optional(),
    user: z.string().min(1).max(INGEST_LIMITS.userChars).optional(),
    context: z
      .record(z.string(), z.unknown())
      .refine(
        (v) => Buffer.byteLength(JSON.stringify(v)) <= INGEST_LIMITS.contextBytes,
        `the context is larger than ${INGEST_LIMITS.contextBytes} bytes`,
      )
      .optional(),
  })
  .strict();

/** POST /api/logs/ingest: `{lines: [...]}`; the service is the token's, never the payload's. */
export const ingestSchema = z.object({ lines: z.array(lineSchema).min(1).max(INGEST_LIMITS.linesPerRequest) }).strict();

export type IngestLine = z.infer<typeof lineSchema>;
