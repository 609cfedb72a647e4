import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { type Location, locations } from "../db/schema.ts";
import { formFields, fromColumn, inputShape, responseSchema, toJson } from "../shared/fields.ts";
import { optText } from "../shared/input.ts";

const columns = createSelectSchema(locations).shape;

/** A location's fields, written once: its request schemas, JSON and form come from here. */
export const locationFields = {
  id: fromColumn(columns, "id"),
  /** The company's account number. */
  company: { output: z.string() },
  name: {
    ...fromColumn(columns, "name"),
    input: z.string().trim().min(1, "Required.").max(200),
    form: { label: "Location name" },
  },
  address: { ...fromColumn(columns, "address"), input: optText(500), form: { label: "Address" } },
  phone: { ...fromColumn(columns, "phone"), input: optText(50), form: { label: "Phone", type: "tel" } },
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

export const locationSchema = responseSchema(locationFields, "Location");
export type LocationJson = z.infer<typeof locationSchema>;

export const locationCreate = z.object(inputShape(locationFields)).strict();
export type LocationCreate = z.infer<typeof locationCreate>;
export const locationUpdate = locationCreate.partial();
export type LocationUpdate = z.infer<typeof locationUpdate>;

/** The add-a-location form on a company's page. */
export const LOCATION_FORM = formFields(locationFields, ["name", "address", "phone"]);

export function locationJson(location: Location, company: string): LocationJson {
  return toJson(locationFields, location, { company });
}
