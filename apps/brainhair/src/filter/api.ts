import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Json } from "./data.ts";
import { filterModule } from "./lazy.ts";

const filterInput = z
  .object({
    level: z.enum(["standard", "hipaa", "cjis"]),
    text: z.string().optional().meta({ description: "A text to filter" }),
    data: z.unknown().optional().meta({ description: "Or a JSON value: keys kept, every string filtered" }),
  })
  .strict()
  .refine((v) => (v.text === undefined) !== (v.data === undefined), {
    message: "Send either text or data.",
    path: ["text"],
  });

const entitySchema = z.object({ type: z.string(), start: z.number().int(), end: z.number().int() });

const filterRoute = apiRoute({
  method: "post",
  path: "/api/filter",
  access: ACCESS.filter,
  tags: ["Filter"],
  summary: "Remove what a compliance level protects: {level, text} → {text, entities}; {level, data} → {data}",
  description:
    "Levels: standard, hipaa, cjis. A person becomes first name and surname initial; every other entity <TYPE>. " +
    "Bodies up to 1 MiB.",
  request: { body: { required: true, content: { "application/json": { schema: filterInput } } } },
  responses: {
    200: {
      description: "The filtered text with what was found (offsets into the original), or the filtered data",
      content: {
        "application/json": {
          schema: z.union([
            z.object({ text: z.string(), entities: z.array(entitySchema) }),
            z.object({ data: z.unknown() }),
          ]),
        },
      },
    },
  },
});

export function filterApi(table: RouteTable) {
  table.api(filterRoute, async (c) => {
    const { level, text, data } = c.req.valid("json");
    const { filterData, filterText } = await filterModule();
    if (text !== undefined) return c.json(filterText(text, level), 200);
    return c.json({ data: filterData(data as Json, level) }, 200);
  });
}
