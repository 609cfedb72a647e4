import { z } from "zod";
import { eq } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import type { Company, Location } from "../db/schema.ts";
import { changedFields, dropUndefined } from "../shared/data-common.ts";
import { optText } from "../shared/input.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";

export const locationCreateSchema = z
  .object({ name: z.string().trim().min(1, "Required.").max(200), address: optText(500), phone: optText(50) })
  .strict();
export const locationUpdateSchema = locationCreateSchema.partial();

export function locationJson(l: Location, company: string) {
  return {
    id: l.id,
    company,
    name: l.name,
    address: l.address,
    phone: l.phone,
    created_at: l.createdAt.toISOString(),
    updated_at: l.updatedAt.toISOString(),
  };
}

export async function requireLocation(h: CodexDb, company: Company, id: number): Promise<Location> {
  const [row] = await h.db.select().from(h.t.locations).where(eq(h.t.locations.id, id));
  if (!row || row.companyId !== company.id) throw notFound(`No location ${id} at ${company.accountNumber}.`);
  return row;
}

export async function createLocation(
  h: CodexDb,
  company: Company,
  input: z.infer<typeof locationCreateSchema>,
  actor: Actor,
): Promise<Location> {
  return transaction(h, async (tx) => {
    const [row] = await tx
      .insert(h.t.locations)
      .values({ companyId: company.id, name: input.name, address: input.address ?? null, phone: input.phone ?? null })
      .returning();
    await writeAudit(tx, h, actor, [
      { action: "create", entity: "location", entityId: row!.id, companyId: company.id, after: row },
    ]);
    return row!;
  });
}

export async function updateLocation(
  h: CodexDb,
  location: Location,
  input: z.infer<typeof locationUpdateSchema>,
  actor: Actor,
): Promise<Location> {
  const changes = changedFields(
    location,
    dropUndefined({ name: input.name, address: input.address, phone: input.phone }) as Partial<Location>,
  );
  if (Object.keys(changes).length === 0) return location;
  return transaction(h, async (tx) => {
    const [row] = await tx
      .update(h.t.locations)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(h.t.locations.id, location.id))
      .returning();
    await writeAudit(tx, h, actor, [
      {
        action: "update",
        entity: "location",
        entityId: location.id,
        companyId: location.companyId,
        before: location,
        after: row,
      },
    ]);
    return row!;
  });
}

export async function deleteLocation(h: CodexDb, location: Location, actor: Actor): Promise<void> {
  await transaction(h, async (tx) => {
    await tx.delete(h.t.locations).where(eq(h.t.locations.id, location.id));
    await writeAudit(tx, h, actor, [
      { action: "delete", entity: "location", entityId: location.id, companyId: location.companyId, before: location },
    ]);
  });
}
