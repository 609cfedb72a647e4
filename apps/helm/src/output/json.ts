import { z } from "zod";

/** A unit's name as the supervisor and services.json spell it. */
export const outputParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a service name") });

export const DEFAULT_LINES = 200;

export const outputQuery = z
  .object({
    lines: z.coerce
      .number()
      .int()
      .min(1)
      .max(5_000)
      .default(DEFAULT_LINES)
      .meta({ description: "How many of the last lines (1 to 5,000)" }),
  })
  .strict();

/** A position in a log file: its inode and a byte offset, "123:4567". */
export const positionText = z
  .string()
  .regex(/^\d{1,20}:\d{1,15}$/, "inode:offset")
  .transform((text) => {
    const [ino, offset] = text.split(":").map(Number) as [number, number];
    return { ino, offset };
  });

export const followQuery = z
  .object({ from: positionText.optional().meta({ description: "Where the page's lines end (inode:offset)" }) })
  .strict();

export const outputSchema = z
  .object({
    service: z.string(),
    file: z.string().meta({ description: "The supervisor's log file of the service" }),
    lines: z.array(z.string()).meta({ description: "Oldest first, colour codes removed" }),
    end: z.string().nullable().meta({ description: "Where the file ends (inode:offset): follow from here" }),
  })
  .meta({ id: "RawOutput" });
