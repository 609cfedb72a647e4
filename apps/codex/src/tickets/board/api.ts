import { validationFailed } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { issuesOf } from "@hivematrix/lib/validate";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { jsonAnswer, jsonRequest } from "../../shared/route-schemas.ts";
import { actorOf, personOf } from "../../shared/request.ts";
import { boardFilterOf, readBoardSettings, ticketBoard, writeBoardSettings } from "./data.ts";
import { boardQuery, boardSettingsJson, boardSettingsPatch, patchedSettings, ticketBoardSchema } from "./json.ts";

const tags: [string] = ["Tickets"];
const thresholds = jsonAnswer(boardSettingsJson, "The thresholds, with who changed them last");

const boardRoute = apiRoute({
  method: "get",
  path: "/api/tickets/active",
  access: ACCESS.staff,
  tags,
  summary: "Active tickets in four sections with SLA state (the ticket board)",
  request: { query: boardQuery },
  responses: { 200: jsonAnswer(ticketBoardSchema, "The board") },
});

const settingsRoute = apiRoute({
  method: "get",
  path: "/api/settings/ticket-board",
  access: ACCESS.staff,
  tags,
  summary: "The ticket board's SLA thresholds (minutes, per priority)",
  responses: { 200: thresholds },
});

const changeSettingsRoute = apiRoute({
  method: "put",
  path: "/api/settings/ticket-board",
  access: ACCESS.admin,
  tags,
  summary: "Change the ticket board's SLA thresholds (those sent)",
  request: { body: jsonRequest(boardSettingsPatch) },
  responses: { 200: thresholds },
});

/** The ticket board's API (registered before `/api/tickets/{id}`, which would take `active` for an id). */
export function ticketBoardApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.api(boardRoute, async (c) => {
    const query = c.req.valid("query");
    const filter = await boardFilterOf(db, query, c.get("user") ? personOf(c) : null);
    return c.json(await ticketBoard(db, filter, new Date(), query.per_section), 200);
  });

  routes.api(settingsRoute, async (c) => c.json(await readBoardSettings(db), 200));

  routes.api(changeSettingsRoute, async (c) => {
    const next = patchedSettings(await readBoardSettings(db), c.req.valid("json"));
    if (!next.success) throw validationFailed(issuesOf(next.error));
    await writeBoardSettings(db, next.data, actorOf(c).name);
    return c.json(await readBoardSettings(db), 200);
  });
}
