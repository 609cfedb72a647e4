import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { requireCompany } from "../companies/data.ts";
import type { Deps } from "../deps.ts";
import { jsonAnswer, jsonRequest, messageSchema } from "../shared/route-schemas.ts";
import { visibleCompany } from "../shared/client-scope.ts";
import { idParam } from "../shared/input.ts";
import { actorOf } from "../shared/request.ts";
import { createLocation, deleteLocation, locationsOf, requireLocation, updateLocation } from "./data.ts";
import { locationCreate, locationJson, locationSchema, locationUpdate } from "./json.ts";

const tags: [string] = ["Companies"];
const companyParams = z.object({ acct: z.string().max(100) });
const locationParams = companyParams.extend({ location_id: idParam });

const listRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}/locations",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A company's locations",
  request: { params: companyParams },
  responses: { 200: jsonAnswer(z.object({ items: z.array(locationSchema) }), "The locations, by name") },
});

const createRoute = apiRoute({
  method: "post",
  path: "/api/companies/{acct}/locations",
  access: ACCESS.data,
  tags,
  summary: "Add a location",
  idempotent: true,
  request: { params: companyParams, body: jsonRequest(locationCreate) },
  responses: { 201: jsonAnswer(locationSchema, "The location as stored") },
});

const updateRoute = apiRoute({
  method: "put",
  path: "/api/companies/{acct}/locations/{location_id}",
  access: ACCESS.data,
  tags,
  summary: "Update a location",
  request: { params: locationParams, body: jsonRequest(locationUpdate) },
  responses: { 200: jsonAnswer(locationSchema, "The location as stored") },
});

const deleteRoute = apiRoute({
  method: "delete",
  path: "/api/companies/{acct}/locations/{location_id}",
  access: ACCESS.data,
  tags,
  summary: "Delete a location",
  request: { params: locationParams },
  responses: { 200: jsonAnswer(messageSchema, "Deleted") },
});

export function locationsApi(routes: RouteTable, deps: Deps) {
  routes.api(listRoute, async (c) => {
    const company = await visibleCompany(c, deps, c.req.valid("param").acct);
    const rows = await locationsOf(deps.db, company.id);
    return c.json({ items: rows.map((location) => locationJson(location, company.accountNumber)) }, 200);
  });

  routes.api(createRoute, async (c) => {
    const company = await requireCompany(deps.db, c.req.valid("param").acct);
    const location = await createLocation(deps.db, company, c.req.valid("json"), actorOf(c));
    return c.json(locationJson(location, company.accountNumber), 201);
  });

  routes.api(updateRoute, async (c) => {
    const { acct, location_id } = c.req.valid("param");
    const company = await requireCompany(deps.db, acct);
    const location = await requireLocation(deps.db, company, location_id);
    const updated = await updateLocation(deps.db, location, c.req.valid("json"), actorOf(c));
    return c.json(locationJson(updated, company.accountNumber), 200);
  });

  routes.api(deleteRoute, async (c) => {
    const { acct, location_id } = c.req.valid("param");
    const location = await requireLocation(deps.db, await requireCompany(deps.db, acct), location_id);
    await deleteLocation(deps.db, location, actorOf(c));
    return c.json({ message: `Deleted ${location.name}.` }, 200);
  });
}
