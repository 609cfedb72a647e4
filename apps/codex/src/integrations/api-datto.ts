import { z } from "zod";
import { HttpError, notFound } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { jsonAnswer, jsonRequest } from "../shared/route-schemas.ts";
import { actorOf } from "../shared/request.ts";
import { dattoClient } from "./context.ts";
import { deviceJson } from "./datto/mapping.ts";
import { IntegrationError } from "./http.ts";
import { devicesQuery, deviceSchema, linkBody } from "./json.ts";
import { providerError } from "./runs.ts";
import type { Integrations } from "./service.ts";
import { linkSite } from "./sync/rmm.ts";

const tags: [string] = ["Datto"];

const devicesRoute = apiRoute({
  method: "get",
  path: "/api/datto/devices",
  access: ACCESS.staff,
  tags,
  summary: "Devices as Datto RMM reports them now (all, or one site's)",
  request: { query: devicesQuery },
  responses: {
    200: jsonAnswer(z.object({ devices: z.array(deviceSchema), count: z.number().int() }), "The devices"),
  },
});

const deviceRoute = apiRoute({
  method: "get",
  path: "/api/datto/device/{id}",
  access: ACCESS.staff,
  tags,
  summary: "One device, by Datto device uid, as Datto RMM reports it now",
  request: { params: z.object({ id: z.string() }) },
  responses: { 200: jsonAnswer(deviceSchema, "The device") },
});

const linkRoute = apiRoute({
  method: "post",
  path: "/api/datto/sites/{uid}/link",
  access: ACCESS.admin,
  tags,
  summary: "Link a Datto site to a company (writes its AccountNumber variable)",
  request: { params: z.object({ uid: z.string() }), body: jsonRequest(linkBody) },
  responses: {
    200: jsonAnswer(
      z.object({ success: z.literal(true), variable: z.enum(["created", "updated", "unchanged"]) }),
      "The site's AccountNumber variable, as written",
    ),
  },
});

/** What a Datto call answers, or the provider's problem as an API error. */
async function fromDatto<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    return providerError(e);
  }
}

/** Live reads from Datto RMM (never a 500 when Datto is down or unconfigured), and linking a site. */
export function dattoApi(routes: RouteTable, integrations: Integrations) {
  const { ctx } = integrations;
  routes.api(devicesRoute, async (c) => {
    const { site_uid } = c.req.valid("query");
    const devices = await fromDatto(async () => {
      const datto = await dattoClient(ctx);
      return site_uid ? datto.siteDevices(site_uid) : datto.accountDevices();
    });
    return c.json({ devices: devices.map(deviceJson), count: devices.length }, 200);
  });

  routes.api(deviceRoute, async (c) => {
    const device = await fromDatto(async () => (await dattoClient(ctx)).device(c.req.valid("param").id));
    if (!device) throw notFound("Datto RMM has no device with this uid.");
    return c.json(deviceJson(device), 200);
  });

  routes.api(linkRoute, async (c) => {
    const { account_number } = c.req.valid("json");
    try {
      const variable = await linkSite(ctx, c.req.valid("param").uid, account_number, actorOf(c).name);
      return c.json({ success: true as const, variable }, 200);
    } catch (e) {
      if (e instanceof IntegrationError && e.kind === "bad_request")
        throw new HttpError(422, "validation_failed", e.message, [{ field: "account_number", message: e.message }]);
      return providerError(e);
    }
  });
}
