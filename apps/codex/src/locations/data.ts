import { eq } from "drizzle-orm";
import { notFound } from "@hivematrix/lib/errors";
import type { Company, Location } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import type { Actor } from "../shared/data-audit.ts";
import { deleteRecord, insertRecord, updateRecord } from "../shared/data-records.ts";
import { toColumns } from "../shared/fields.ts";
import { type LocationCreate, type LocationUpdate, locationFields } from "./json.ts";

/** A company's locations, by name. */
export function locationsOf(db: CodexDb, companyId: number): Promise<Location[]> {
  return db.db
    .select()
    .from(db.t.locations)
    .where(eq(db.t.locations.companyId, companyId))
    .orderBy(db.t.locations.name);
}

export async function requireLocation(db: CodexDb, company: Company, id: number): Promise<Location> {
  const [row] = await db.db.select().from(db.t.locations).where(eq(db.t.locations.id, id));
  if (!row || row.companyId !== company.id) throw notFound(`No location ${id} at ${company.accountNumber}.`);
  return row;
}

export function createLocation(db: CodexDb, company: Company, input: LocationCreate, actor: Actor) {
  return insertRecord<Location>(db, actor, {
    entity: "location",
    table: db.t.locations,
    companyId: company.id,
    values: { companyId: company.id, name: input.name, address: input.address ?? null, phone: input.phone ?? null },
  });
}

export function updateLocation(db: CodexDb, location: Location, input: LocationUpdate, actor: Actor) {
  return updateRecord(db, actor, {
    entity: "location",
    table: db.t.locations,
    companyId: location.companyId,
    current: location,
    changes: toColumns<Location>(locationFields, input),
  });
}

export function deleteLocation(db: CodexDb, location: Location, actor: Actor) {
  return deleteRecord(db, actor, {
    entity: "location",
    table: db.t.locations,
    companyId: location.companyId,
    current: location,
  });
}
